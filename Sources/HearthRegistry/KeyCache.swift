import Foundation
import GRDB
import Synchronization

/// Remembers which collection each data-key hash opens (or that it opens none), for as long
/// as the registry is unchanged.
///
/// SQLite's `PRAGMA data_version` changes whenever any other connection, in this process or
/// another (the CLI), commits to the file; a changed version empties the cache, so a revoked
/// key fails on the very next request. Reading the version is a few microseconds on a
/// dedicated connection, far cheaper than a lookup through the pool.
final class KeyCache: Sendable {
    private struct State {
        var version: Int64 = -1
        var entries: [String: CollectionInfo?] = [:]
    }

    /// Bounds memory when many unknown keys are tried.
    static let capacity = 10_000

    private let probe: DatabaseQueue
    private let state = Mutex(State())

    init(file: URL) throws {
        probe = try DatabaseQueue(path: file.path)
    }

    /// The registry's current data version.
    func currentVersion() throws -> Int64 {
        try probe.inDatabase { db in try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0 }
    }

    /// `.some(collection or nil)` if known at `version`; `nil` if not cached.
    func lookup(_ hash: String, version: Int64) -> CollectionInfo?? {
        state.withLock { state in state.version == version ? state.entries[hash] : nil }
    }

    /// Records a lookup made after reading `version`.
    func store(_ hash: String, _ collection: CollectionInfo?, version: Int64) {
        state.withLock { state in
            if state.version != version || state.entries.count >= Self.capacity {
                state = State(version: version, entries: [:])
            }
            state.entries[hash] = collection
        }
    }
}
