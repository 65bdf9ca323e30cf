import Foundation
import HearthBase
import HearthCore
import HearthDrive
import Synchronization

/// The collections a process has opened: each one's database opened once, with its Base and
/// Drive stores on top. The node master key is read (or created) on the first Drive use.
public final class OpenCollections: Sendable {
    private struct Opened {
        var database: CollectionDatabase
        var base: BaseStore
        var drive: DriveStore?
    }

    public let layout: DataLayout
    public let baseLimits: BaseLimits
    public let driveLimits: DriveLimits
    private let masterKeyFile: URL
    private let clock: WallClock
    private let opened = Mutex<[String: Opened]>([:])
    private let masterKey = Mutex<MasterKey?>(nil)

    public init(
        layout: DataLayout, baseLimits: BaseLimits = BaseLimits(), driveLimits: DriveLimits = DriveLimits(),
        masterKeyFile: URL? = nil, clock: WallClock = .system
    ) {
        self.layout = layout
        self.baseLimits = baseLimits
        self.driveLimits = driveLimits
        self.masterKeyFile = masterKeyFile ?? layout.defaultMasterKey
        self.clock = clock
    }

    /// The Bases of `collection`.
    public func base(_ collection: CollectionInfo) throws(BaseError) -> BaseStore {
        do {
            return try open(collection).base
        } catch {
            throw BaseError(BaseError.storage, "Cannot open the collection's database", cause: error)
        }
    }

    /// The Drives of `collection`.
    public func drive(_ collection: CollectionInfo) throws(DriveError) -> DriveStore {
        do {
            return try open(collection, withDrive: true).drive!
        } catch let error as DriveError {
            throw error
        } catch {
            throw DriveError(DriveError.storage, "Cannot open the collection's database", cause: error)
        }
    }

    /// Every collection opened so far.
    public var bases: [BaseStore] { opened.withLock { $0.values.map(\.base) } }
    public var drives: [DriveStore] { opened.withLock { $0.values.compactMap(\.drive) } }

    /// Forgets an opened collection (before its directory is removed); its pool closes once
    /// the last store using it is released.
    public func close(_ collectionID: String) {
        _ = opened.withLock { $0.removeValue(forKey: collectionID) }
    }

    private func open(_ collection: CollectionInfo, withDrive: Bool = false) throws -> Opened {
        try opened.withLock { opened in
            let directory = layout.resolve(collection.path)
            var entry: Opened
            if let existing = opened[collection.id] {
                entry = existing
            } else {
                let database = try CollectionDatabase(
                    file: DataLayout.collectionDatabase(in: directory), schemas: [BaseStore.schema, DriveStore.schema])
                entry = Opened(database: database, base: BaseStore(database: database, limits: baseLimits, clock: clock))
            }
            if withDrive, entry.drive == nil {
                entry.drive = try DriveStore(
                    database: entry.database, directory: DataLayout.driveDirectory(in: directory), collectionID: collection.id,
                    masterKey: try loadMasterKey(), limits: driveLimits, clock: clock)
            }
            opened[collection.id] = entry
            return entry
        }
    }

    private func loadMasterKey() throws(DriveError) -> MasterKey {
        try masterKey.withLock { (key) throws(DriveError) -> MasterKey in
            if let key { return key }
            let loaded = try MasterKey.loadOrCreate(at: masterKeyFile)
            key = loaded
            return loaded
        }
    }
}
