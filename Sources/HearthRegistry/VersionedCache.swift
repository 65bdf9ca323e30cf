import Dispatch
import Foundation
import GRDB
import Synchronization

/// Reads the registry's data version: SQLite's `PRAGMA data_version` changes whenever any
/// other connection, in this process or another (the CLI), commits to the file.
///
/// Reading it takes a few microseconds, but on one connection, so under many concurrent
/// requests they would queue for it. A reading is therefore reused for up to a millisecond:
/// this process's own writes make it stale at once (`invalidate`), another process's (the CLI
/// revoking a key) count from at most a millisecond later.
final class RegistryVersion: Sendable {
    private struct Reading {
        var version: Int64
        var at: UInt64
    }

    /// How long a reading is reused, in nanoseconds.
    static var freshness: UInt64 { 1_000_000 }

    private let probe: DatabaseQueue
    private let last = Mutex<Reading?>(nil)

    init(file: URL) throws {
        probe = try DatabaseQueue(path: file.path)
    }

    /// The registry's current data version.
    func current() throws -> Int64 {
        let now = DispatchTime.now().uptimeNanoseconds
        if let reading = last.withLock({ $0 }), now &- reading.at < Self.freshness { return reading.version }
        let version = try probe.inDatabase { db in try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0 }
        last.withLock { $0 = Reading(version: version, at: now) }
        return version
    }

    /// Forgets the last reading; called after each of this process's writes.
    func invalidate() {
        last.withLock { $0 = nil }
    }
}

/// Remembers lookups of registry facts by key (which collection a data-key hash opens, which
/// session a token is) for as long as the registry is unchanged: a changed data version empties
/// it, so a revoked key or session fails at once (within a millisecond when the CLI revoked it).
final class VersionedCache<Value: Sendable>: Sendable {
    private struct State: Sendable {
        var version: Int64 = -1
        var entries: [String: Value] = [:]
    }

    /// Bounds memory when many unknown keys are tried.
    static var capacity: Int { 10_000 }

    private let state = Mutex(State())

    /// The value known at `version`, if cached.
    func lookup(_ key: String, version: Int64) -> Value? {
        state.withLock { state in state.version == version ? state.entries[key] : nil }
    }

    /// Records a lookup made after reading `version`.
    func store(_ key: String, _ value: Value, version: Int64) {
        state.withLock { state in
            if state.version != version || state.entries.count >= Self.capacity {
                state = State(version: version, entries: [:])
            }
            state.entries[key] = value
        }
    }
}

extension Registry {
    /// `lookup(key)`'s answer, from `cache` while the registry is unchanged.
    func cached<Value: Sendable>(
        _ key: String, in cache: VersionedCache<Value>, lookup: @escaping @Sendable (Database) throws -> Value
    ) async throws(RegistryError) -> Value {
        let version = try changeVersion()
        if let known = cache.lookup(key, version: version) { return known }
        let value = try await read(lookup)
        cache.store(key, value, version: version)
        return value
    }
}
