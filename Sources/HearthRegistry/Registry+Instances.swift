import Foundation
import GRDB
import HearthCore

extension Registry {
    /// Registers a new instance, in state `installing`, with its own collection and a data key
    /// named `runtime` for its micros. The slug is `preferredSlug`, or it with `-2`, `-3`, …
    /// when taken.
    public func createInstance(
        appName: String, preferredSlug: String, source: String, version: String, publisher: String? = nil,
        space: String = defaultSpace
    ) async throws(RegistryError) -> (InstanceInfo, DataKey) {
        let base = Self.slugify(preferredSlug)
        let now = clock.now()
        return try await write { db in
            var slug = base
            var suffix = 1
            while try Bool.fetchOne(db, sql: "SELECT 1 FROM instances WHERE slug = ?", arguments: [slug]) != nil
                || Bool.fetchOne(db, sql: "SELECT 1 FROM collections WHERE space = ? AND name = ?", arguments: [space, slug]) != nil
            {
                suffix += 1
                slug = "\(base)-\(suffix)"
            }
            let (collection, key) = try Self.insertCollection(db, name: slug, space: space, now: now, instance: true)
            try db.execute(
                sql: """
                    INSERT INTO instances (id, space, slug, app_name, source, version, publisher, state, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    collection.id, space, slug, appName, source, version, publisher, InstanceState.installing.rawValue, now, now,
                ])
            return (try Self.fetchInstance(db, idOrSlug: collection.id)!, key)
        }
    }

    /// Marks an instance ready (or back to installing during a rebuild).
    public func setInstanceState(_ id: String, _ state: InstanceState) async throws(RegistryError) {
        let now = clock.now()
        try await write { db in
            try db.execute(
                sql: "UPDATE instances SET state = ?, updated_at = ? WHERE id = ?", arguments: [state.rawValue, now, id])
        }
    }

    /// Every instance, oldest first.
    public func instances(space: String? = nil) async throws(RegistryError) -> [InstanceInfo] {
        try await read { db in
            try Row.fetchAll(
                db, sql: Self.instanceSelect + " WHERE ?1 IS NULL OR i.space = ?1 ORDER BY i.created_at, i.id", arguments: [space]
            )
            .map(Self.instance)
        }
    }

    /// The instance with this id or slug.
    public func instance(_ idOrSlug: String) async throws(RegistryError) -> InstanceInfo {
        let found = try await read { db in try Self.fetchInstance(db, idOrSlug: idOrSlug) }
        guard let found else { throw RegistryError(RegistryError.notFound, "No instance '\(idOrSlug)'") }
        return found
    }

    /// The instance answering at this host label, if any; cheap enough for every request.
    public func instance(slug: String) async throws(RegistryError) -> InstanceInfo? {
        try await read { db in
            try Row.fetchOne(db.cachedStatement(sql: Self.instanceSelect + " WHERE i.slug = ?"), arguments: [slug]).map(Self.instance)
        }
    }

    /// Removes an instance and its collection (keys, env, action runs) from the registry; the
    /// caller removes its directory.
    public func removeInstance(_ id: String) async throws(RegistryError) {
        try await write { db in
            try db.execute(sql: "DELETE FROM instances WHERE id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM collections WHERE id = ?", arguments: [id])
            guard db.changesCount > 0 else { throw RegistryError(RegistryError.notFound, "No instance '\(id)'") }
        }
    }

    // MARK: Environment presets

    /// The values the owner set for an instance's preset variables.
    public func environment(instance id: String) async throws(RegistryError) -> [String: String] {
        try await read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT name, value FROM instance_env WHERE instance = ?", arguments: [id])
            return Dictionary(rows.map { ($0["name"], $0["value"]) }, uniquingKeysWith: { $1 })
        }
    }

    /// Sets (or with `nil`, clears back to the Spacefile default) one preset variable.
    public func setEnvironment(instance id: String, name: String, value: String?) async throws(RegistryError) {
        try await write { db in
            if let value {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO instance_env (instance, name, value) VALUES (?, ?, ?)", arguments: [id, name, value])
            } else {
                try db.execute(sql: "DELETE FROM instance_env WHERE instance = ? AND name = ?", arguments: [id, name])
            }
        }
    }

    // MARK: Scheduled action runs

    /// When each action of an instance last ran (seconds since 1970).
    public func actionRuns(instance id: String) async throws(RegistryError) -> [String: Double] {
        try await read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT action, last_run FROM action_runs WHERE instance = ?", arguments: [id])
            return Dictionary(rows.map { ($0["action"], $0["last_run"]) }, uniquingKeysWith: { $1 })
        }
    }

    /// Records that an action ran at `time`.
    public func recordActionRun(instance id: String, action: String, at time: Double) async throws(RegistryError) {
        try await write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO action_runs (instance, action, last_run) VALUES (?, ?, ?)", arguments: [id, action, time])
        }
    }

    // MARK: Helpers

    /// A DNS label from an app name: lowercase letters, digits and single hyphens, at most 40.
    public static func slugify(_ name: String) -> String {
        var slug = ""
        for character in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(character) || ("0"..."9").contains(character) {
                slug.unicodeScalars.append(character)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        slug = String(slug.prefix(40))
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "app" : slug
    }

    private static let instanceSelect = "SELECT i.*, c.path FROM instances i JOIN collections c ON c.id = i.id"

    private static func fetchInstance(_ db: Database, idOrSlug: String) throws -> InstanceInfo? {
        try Row.fetchOne(db, sql: instanceSelect + " WHERE i.id = ?1 OR i.slug = ?1", arguments: [idOrSlug]).map(instance)
    }

    private static func instance(_ row: Row) -> InstanceInfo {
        InstanceInfo(
            id: row["id"], space: row["space"], slug: row["slug"], appName: row["app_name"], source: row["source"],
            version: row["version"], publisher: row["publisher"], deployment: row["deployment"],
            previous: (row["previous_deployment"] as String?).map {
                Deployment(id: $0, version: row["previous_version"], source: row["previous_source"], publisher: row["previous_publisher"])
            },
            state: InstanceState(rawValue: row["state"]) ?? .installing, path: row["path"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]), updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
    }
}
