import Foundation
import HearthBase
import HearthCore
import HearthDrive
import Synchronization

/// The collections a process has opened: each one's database opened once, with its Base and
/// Drive stores on top. The node master key is read (or created) on the first Drive use.
/// Given the registry, an instance's collection opens with its storage quota.
public final class OpenCollections: Sendable {
    private struct Opened {
        var database: CollectionDatabase
        var base: BaseStore
        var drive: DriveStore?
    }

    public let layout: DataLayout
    public let baseLimits: BaseLimits
    public let driveLimits: DriveLimits
    public let masterKeyFile: URL
    private let clock: WallClock
    private let registry: Registry?
    private let opened = Mutex<[String: Opened]>([:])
    private let masterKey = Mutex<MasterKey?>(nil)

    public init(
        layout: DataLayout, baseLimits: BaseLimits = BaseLimits(), driveLimits: DriveLimits = DriveLimits(),
        masterKeyFile: URL? = nil, registry: Registry? = nil, clock: WallClock = .system
    ) {
        self.registry = registry
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

    /// What `collection` holds now (its database's used pages, its Drive content), if this
    /// process has opened it; `nil` otherwise.
    public func usageIfOpen(_ collection: CollectionInfo) async throws(RegistryError) -> StorageUsage? {
        guard let database = opened.withLock({ $0[collection.id]?.database }) else { return nil }
        do {
            return try await database.usage()
        } catch {
            throw RegistryError(RegistryError.storage, "Cannot measure the collection's storage", cause: error)
        }
    }

    /// Changes the storage quota of a collection if it is open (else it applies when it opens).
    public func setStorageQuota(_ collectionID: String, bytes: Int64?) {
        opened.withLock { $0[collectionID]?.database.storageQuota = bytes }
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
                database.storageQuota = try registry?.storageQuota(collection: collection.id)
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
