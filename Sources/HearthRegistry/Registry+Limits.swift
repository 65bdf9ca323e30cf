import Foundation
import GRDB
import HearthCore

/// What instances may use: the node's defaults (recorded at each start, so the CLI knows them
/// while the node is down) and the values an owner set per instance.
extension Registry {
    /// Records the defaults the node runs with; it calls this once as it starts.
    public func storeDefaultLimits(_ limits: InstanceLimits) throws(RegistryError) {
        do {
            let json = String(decoding: try JSONEncoder().encode(limits), as: UTF8.self)
            try pool.write { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO node_settings (name, value) VALUES ('default_limits', ?)", arguments: [json])
            }
            version.invalidate()
        } catch {
            throw RegistryError(RegistryError.storage, "Cannot record the node's default limits", cause: error)
        }
    }

    /// The limits of instances without overrides: as the node last started with, else built in.
    public func defaultLimits() async throws(RegistryError) -> InstanceLimits {
        try await read { db in try Self.defaultLimits(db) }
    }

    /// The values the owner set for an instance (nothing set: all `nil`).
    public func limitOverrides(instance id: String) async throws(RegistryError) -> InstanceLimitOverrides {
        try await read { db in try Self.overrides(db, instance: id) }
    }

    /// What an instance may use: the node's defaults with the owner's overrides applied. The
    /// runtime reads it when it loads an instance (`LoadedInstance.limits`, `MicroSpec.limits`).
    public func effectiveLimits(instance id: String) async throws(RegistryError) -> InstanceLimits {
        try await read { db in try Self.defaultLimits(db).applying(try Self.overrides(db, instance: id)) }
    }

    /// Sets the values `overrides` gives, after clearing all earlier ones if `reset`; returns
    /// the instance's overrides now. Values out of range fail with `core.bad_limit`.
    @discardableResult
    public func setLimits(
        instance id: String, _ overrides: InstanceLimitOverrides, reset: Bool = false
    ) async throws(RegistryError) -> InstanceLimitOverrides {
        do {
            try overrides.validate()
        } catch {
            throw RegistryError(error.code, error.message)
        }
        return try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM instances WHERE id = ?", arguments: [id]) != nil else {
                throw RegistryError(RegistryError.notFound, "No instance '\(id)'")
            }
            let merged = (reset ? InstanceLimitOverrides() : try Self.overrides(db, instance: id)).merging(overrides)
            try db.execute(sql: "DELETE FROM instance_limits WHERE instance = ?", arguments: [id])
            if !merged.isEmpty {
                try db.execute(
                    sql: """
                        INSERT INTO instance_limits
                            (instance, memory_bytes, processes, cpu_weight, cpu_cores, tmp_bytes, storage_bytes, outbound)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        id, merged.memoryBytes, merged.processes, merged.cpuWeight, merged.cpuCores, merged.tmpBytes,
                        merged.storageBytes, merged.outbound,
                    ])
            }
            return merged
        }
    }

    /// The storage quota of a collection: its instance's effective `storageBytes`, or `nil`
    /// for a collection that belongs to no instance. Read once as the collection opens.
    func storageQuota(collection id: String) throws -> Int64? {
        try pool.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM instances WHERE id = ?", arguments: [id]) != nil else { return nil }
            return try Self.defaultLimits(db).applying(try Self.overrides(db, instance: id)).storageBytes
        }
    }

    private static func defaultLimits(_ db: Database) throws -> InstanceLimits {
        // Stored as overrides of the built-in values, so a newer version's new fields keep their defaults.
        guard let json = try String.fetchOne(db, sql: "SELECT value FROM node_settings WHERE name = 'default_limits'"),
            let stored = try? JSONDecoder().decode(InstanceLimitOverrides.self, from: Data(json.utf8))
        else { return InstanceLimits() }
        return InstanceLimits().applying(stored)
    }

    private static func overrides(_ db: Database, instance id: String) throws -> InstanceLimitOverrides {
        var overrides = InstanceLimitOverrides()
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM instance_limits WHERE instance = ?", arguments: [id]) else {
            return overrides
        }
        overrides.memoryBytes = row["memory_bytes"]
        overrides.processes = row["processes"]
        overrides.cpuWeight = row["cpu_weight"]
        overrides.cpuCores = row["cpu_cores"]
        overrides.tmpBytes = row["tmp_bytes"]
        overrides.storageBytes = row["storage_bytes"]
        overrides.outbound = row["outbound"]
        return overrides
    }
}
