import Foundation
import HearthCore
import HearthTesting

@testable import HearthDrive

/// A Drive store on a temporary directory with a settable clock.
struct DriveFixture {
    let directory: URL
    let store: DriveStore
    let masterKey: MasterKey
    // Starts at the real time: orphan sweeping compares it with file modification times.
    let time = ManualClock(Date().timeIntervalSince1970)

    static func with<T>(limits: DriveLimits = DriveLimits(), _ body: (DriveFixture) async throws -> T) async throws -> T {
        try await withTemporaryDirectory { directory in
            try await body(try DriveFixture(directory: directory, limits: limits))
        }
    }

    private init(directory: URL, limits: DriveLimits) throws {
        self.directory = directory
        masterKey = try MasterKey.loadOrCreate(at: directory.appendingPathComponent("secrets/master.key"))
        store = try Self.open(directory, masterKey: masterKey, limits: limits, clock: time.clock)
    }

    static func open(
        _ directory: URL, masterKey: MasterKey, limits: DriveLimits = DriveLimits(), clock: WallClock = .system
    ) throws
        -> DriveStore
    {
        let database = try CollectionDatabase(file: directory.appendingPathComponent("data.sqlite"), schemas: [DriveStore.schema])
        return try DriveStore(
            database: database, directory: directory.appendingPathComponent("drive"), collectionID: "c1", masterKey: masterKey,
            limits: limits, clock: clock)
    }

    func advance(_ seconds: Double) { time.advance(seconds) }

    /// Stores `content` as `name` in drive `d`.
    @discardableResult
    func put(_ name: String, _ content: [UInt8], type: String? = nil) async throws -> DriveFileInfo {
        let writer = try await store.newWriter()
        try writer.append(content)
        return try await store.commitFile(drive: "d", name: name, contentType: type, writer: writer)
    }

    /// The whole content of `name`, or `nil` if absent.
    func content(_ name: String) async throws -> [UInt8]? {
        guard let file = try await store.open(drive: "d", name: name) else { return nil }
        return try file.read(offset: 0, count: Int(file.info.size))
    }

    /// Every blob file on disk.
    var blobFiles: [URL] {
        let root = directory.appendingPathComponent("drive/blobs")
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        return (enumerator?.allObjects as? [URL] ?? []).filter {
            (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
        }
    }
}

/// Deterministic pseudo-random bytes.
func pattern(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    return (0..<count).map { _ in
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return UInt8(truncatingIfNeeded: state)
    }
}
