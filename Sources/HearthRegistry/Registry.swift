import Foundation
import GRDB
import HearthCore

/// The node registry (`node.sqlite`): spaces, collections and data keys.
///
/// Both the running node and the CLI open it; SQLite's locking keeps them consistent, so a key
/// revoked from the CLI stops working within a millisecond.
public final class Registry: Sendable {
    /// The space every node has from its first start.
    public static let defaultSpace = "default"

    let pool: DatabasePool
    let clock: WallClock
    let version: RegistryVersion
    let dataKeys = VersionedCache<CollectionInfo?>()
    let sessionCache = VersionedCache<SessionInfo?>()
    let appKeyCache = VersionedCache<AppKeyInfo?>()
    let ownerTokenCache = VersionedCache<OwnerTokenInfo?>()
    let ownerPresence = VersionedCache<Bool>()

    public init(layout: DataLayout, clock: WallClock = .system) throws(RegistryError) {
        self.clock = clock
        do {
            pool = try SQLiteDatabase.open(layout.registry, migrator: RegistrySchema.migrator)
            version = try RegistryVersion(file: layout.registry)
            let now = clock.now()
            try pool.write { db in
                try db.execute(
                    sql: "INSERT OR IGNORE INTO spaces (id, name, created_at) VALUES (?, ?, ?)",
                    arguments: [Self.defaultSpace, "Default space", now])
            }
        } catch {
            throw RegistryError(RegistryError.storage, "Cannot open the node registry at \(layout.registry.path)", cause: error)
        }
    }

    // MARK: Collections

    /// Creates a collection and its first data key (named `default`). `id` is a project id
    /// chosen beforehand (an import writes the collection's files before registering it).
    public func createCollection(
        name: String, space: String = defaultSpace, id: String? = nil
    ) async throws(RegistryError) -> (CollectionInfo, DataKey) {
        try Self.validateName(name, what: "Collection name")
        let now = clock.now()
        return try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM spaces WHERE id = ?", arguments: [space]) != nil else {
                throw RegistryError(RegistryError.notFound, "No space named '\(space)'")
            }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM collections WHERE space = ? AND name = ?", arguments: [space, name]) == nil
            else {
                throw RegistryError(RegistryError.conflict, "A collection named '\(name)' already exists")
            }
            if let id, try Bool.fetchOne(db, sql: "SELECT 1 FROM collections WHERE id = ?", arguments: [id]) != nil {
                throw RegistryError(RegistryError.conflict, "A collection with project id '\(id)' already exists")
            }
            return try Self.insertCollection(db, name: name, space: space, now: now, instance: false, id: id)
        }
    }

    /// Whether `space` has a collection named `name`.
    public func hasCollection(named name: String, space: String = defaultSpace) async throws(RegistryError) -> Bool {
        try await read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM collections WHERE space = ? AND name = ?", arguments: [space, name]) != nil
        }
    }

    /// Every collection, oldest first.
    public func collections(space: String? = nil) async throws(RegistryError) -> [CollectionInfo] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM collections WHERE ?1 IS NULL OR space = ?1 ORDER BY created_at, id",
                arguments: [space]
            ).map(Self.collection)
        }
    }

    /// The collection with this project id or (in the default space) this name.
    public func collection(_ idOrName: String) async throws(RegistryError) -> CollectionInfo {
        let found = try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM collections WHERE id = ?1 OR (space = ?2 AND name = ?1) ORDER BY id = ?1 DESC",
                arguments: [idOrName, Self.defaultSpace]
            ).map(Self.collection)
        }
        guard let found else { throw RegistryError(RegistryError.notFound, "No collection '\(idOrName)'") }
        return found
    }

    // MARK: Data keys

    /// Issues a new data key for a collection. The returned key is the only copy of its secret.
    public func createKey(collection idOrName: String, name: String) async throws(RegistryError) -> (DataKeyInfo, DataKey) {
        try Self.validateName(name, what: "Key name")
        let collection = try await collection(idOrName)
        let now = clock.now()
        return try await write { db in
            guard
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM data_keys WHERE collection = ? AND name = ? AND revoked_at IS NULL",
                    arguments: [collection.id, name]) == nil
            else { throw RegistryError(RegistryError.conflict, "A key named '\(name)' already exists") }
            return try Self.insertKey(db, collection: collection.id, name: name, now: now)
        }
    }

    /// The keys of a collection, revoked ones included.
    public func keys(collection idOrName: String) async throws(RegistryError) -> [DataKeyInfo] {
        let collection = try await collection(idOrName)
        return try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM data_keys WHERE collection = ? ORDER BY created_at, id", arguments: [collection.id]
            ).map(Self.keyInfo)
        }
    }

    /// Revokes a live key by name or id; it stops working at once.
    public func revokeKey(collection idOrName: String, key nameOrID: String) async throws(RegistryError) {
        let collection = try await collection(idOrName)
        let now = clock.now()
        try await write { db in
            try db.execute(
                sql: "UPDATE data_keys SET revoked_at = ? WHERE collection = ? AND (id = ?3 OR name = ?3) AND revoked_at IS NULL",
                arguments: [now, collection.id, nameOrID])
            guard db.changesCount > 0 else {
                throw RegistryError(RegistryError.notFound, "No live key '\(nameOrID)' in collection '\(collection.name)'")
            }
        }
    }

    /// The collection a data key opens, or `nil` if the key is unknown, revoked or belongs to
    /// another project id. Answers come from a cache that any committed change to the
    /// registry, by this process or another, invalidates before the next lookup.
    public func authenticate(_ key: DataKey) async throws(RegistryError) -> CollectionInfo? {
        let hash = Secrets.hash(key.secret)
        let collection = try await cached(hash, in: dataKeys) { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT c.* FROM data_keys k JOIN collections c ON c.id = k.collection
                        WHERE k.secret_hash = ? AND k.revoked_at IS NULL
                        """),
                arguments: [hash]
            ).map(Self.collection)
        }
        return collection?.id == key.projectID ? collection : nil
    }

    /// A number that changes whenever anyone (this process or the CLI) commits to the
    /// registry; caches of registry facts compare it before trusting themselves.
    public func changeVersion() throws(RegistryError) -> Int64 {
        do { return try version.current() } catch { throw Self.wrap(error) }
    }

    // MARK: Helpers

    /// Inserts a collection with a fresh project id and its first data key: `default` for a
    /// headless collection, `runtime` (the one its micros get) for an instance's.
    static func insertCollection(
        _ db: Database, name: String, space: String, now: Double, instance: Bool, id given: String? = nil
    ) throws -> (CollectionInfo, DataKey) {
        var id = given ?? Secrets.identifier()
        while try Bool.fetchOne(db, sql: "SELECT 1 FROM collections WHERE id = ?", arguments: [id]) != nil {
            id = Secrets.identifier()
        }
        let path = instance ? InstanceLayout.path(space: space, instance: id) : DataLayout.collectionPath(space: space, projectID: id)
        let collection = CollectionInfo(id: id, space: space, name: name, path: path, createdAt: Date(timeIntervalSince1970: now))
        try db.execute(
            sql: "INSERT INTO collections (id, space, name, path, created_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [collection.id, space, name, collection.path, now])
        let (_, key) = try insertKey(db, collection: id, name: instance ? "runtime" : "default", now: now)
        return (collection, key)
    }

    private static func insertKey(_ db: Database, collection: String, name: String, now: Double) throws -> (DataKeyInfo, DataKey) {
        let secret = Secrets.secret()
        let info = DataKeyInfo(
            id: Secrets.identifier(length: 12), collection: collection, name: name,
            hint: String(secret.prefix(4)), createdAt: Date(timeIntervalSince1970: now), revokedAt: nil)
        try db.execute(
            sql: "INSERT INTO data_keys (id, collection, name, secret_hash, hint, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [info.id, collection, name, Secrets.hash(secret), info.hint, now])
        return (info, DataKey(projectID: collection, secret: secret))
    }

    /// Checks a collection, space or instance name: 1 to 64 letters, digits, `-`, `_` or `.`.
    public static func validateName(_ name: String, what: String) throws(RegistryError) {
        let allowed = name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) }
        guard !name.isEmpty, name.count <= 64, allowed else {
            throw RegistryError(RegistryError.badName, "\(what) must be 1 to 64 letters, digits, '-', '_' or '.'")
        }
    }

    static func collection(_ row: Row) -> CollectionInfo {
        CollectionInfo(
            id: row["id"], space: row["space"], name: row["name"], path: row["path"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }

    private static func keyInfo(_ row: Row) -> DataKeyInfo {
        DataKeyInfo(
            id: row["id"], collection: row["collection"], name: row["name"], hint: row["hint"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            revokedAt: (row["revoked_at"] as Double?).map { Date(timeIntervalSince1970: $0) })
    }

    func read<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws(RegistryError) -> T {
        do { return try await pool.read(work) } catch { throw Self.wrap(error) }
    }

    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws(RegistryError) -> T {
        defer { version.invalidate() }
        do { return try await pool.write(work) } catch { throw Self.wrap(error) }
    }

    private static func wrap(_ error: any Error) -> RegistryError {
        (error as? RegistryError) ?? RegistryError(RegistryError.storage, "The node registry failed", cause: error)
    }
}
