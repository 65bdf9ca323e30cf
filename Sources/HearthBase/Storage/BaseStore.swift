import Foundation
import GRDB
import HearthCore

/// The Bases of one collection, in one SQLite file.
///
/// Point reads are batched by a `PointReader`, queries run on the pool's readers, and writes
/// go through a `GroupCommitter` and return only after their transaction is durably committed.
public final class BaseStore: Sendable {
    package let database: CollectionDatabase
    let pool: DatabasePool
    let committer: GroupCommitter
    let pointReader: PointReader
    package let limits: BaseLimits
    let keys: ItemKeyGenerator
    let clock: WallClock
    let bases = NamedRows(table: "bases")

    /// The Bases of the collection whose database is `database` (opened with `BaseStore.schema`).
    public init(database: CollectionDatabase, limits: BaseLimits = BaseLimits(), clock: WallClock = .system) {
        self.database = database
        pool = database.pool
        committer = database.committer
        pointReader = database.pointReader
        self.limits = limits
        self.keys = ItemKeyGenerator(clock: clock)
        self.clock = clock
    }

    /// Opens (creating if needed) a database at `file` that holds only Bases.
    public convenience init(file: URL, limits: BaseLimits = BaseLimits(), clock: WallClock = .system) throws(BaseError) {
        let database: CollectionDatabase
        do {
            database = try CollectionDatabase(file: file, schemas: [Self.schema])
        } catch {
            throw BaseError(BaseError.storage, "Cannot open the collection's database", cause: error)
        }
        self.init(database: database, limits: limits, clock: clock)
    }

    /// The Base tables of a collection's database.
    public static let schema = CollectionSchema(register: BaseSchema.register)

    /// Checks a Base name taken from a URL (see `isValidResourceName`).
    public static func validateName(_ name: String) throws(BaseError) {
        guard isValidResourceName(name) else { throw .bad("Invalid base name") }
    }

    // MARK: Reads

    /// The stored JSON of an item, or `nil` if it is absent or expired.
    public func get(base: String, key: String) async throws(BaseError) -> String? {
        let now = clock.now()
        do {
            return try await pointReader.read { db in
                guard let baseID = try self.bases.id(db, base, remember: true) else { return nil }
                return try self.liveDocument(db, baseID, key, now: now)
            }
        } catch {
            throw Self.wrap(error)
        }
    }

    /// One page of items matching `request`, in key order.
    public func query(base: String, _ request: QueryRequest) async throws(BaseError) -> QueryPage {
        let now = clock.now()
        let limit = request.limit ?? limits.defaultQueryLimit
        let budget = limits.maxQueryPageBytes
        return try await read { db in
            guard let baseID = try self.bases.id(db, base, remember: true) else { return QueryPage(items: [], last: nil) }
            let plan = QuerySQL(request, baseID: baseID, now: now, rowLimit: limit + 1)
            let rows = try Row.fetchCursor(db, sql: plan.sql, arguments: plan.arguments)
            var page = QueryPage(items: [], last: nil)
            var bytes = 0, lastKey = ""
            while let row = try rows.next() {
                let key: String = row[0], doc: String = row[1]
                if plan.needsExactCheck {
                    guard case .object(let item)? = try? JSONParser.parse(doc), request.query.matches(item) else { continue }
                }
                // A further match exists: stop here and point past the page.
                if page.items.count == limit || (bytes + doc.utf8.count > budget && !page.items.isEmpty) {
                    page.last = lastKey
                    break
                }
                bytes += doc.utf8.count
                lastKey = key
                page.items.append(doc)
            }
            return page
        }
    }

    // MARK: Writes

    /// Stores items, replacing any with the same keys; all or nothing. Writes that would take
    /// the collection over its storage quota fail (`base.no_space`); deletes never do.
    public func put(base: String, values: [JSONValue]) async throws(BaseError) -> [Item] {
        guard !values.isEmpty else { throw .bad("No items to put") }
        guard values.count <= limits.maxItemsPerPut else { throw .bad("Too many items: at most \(limits.maxItemsPerPut) per request") }
        let items = try values.map { value throws(BaseError) in try Item(validating: value, limits: limits, keys: keys) }
        guard Set(items.map(\.key)).count == items.count else { throw .bad("Duplicate keys in one request") }
        try await write { db in
            let baseID = try self.bases.ensure(db, base)
            for item in items { try self.store(db, baseID, item) }
            try self.checkQuota(db)
        }
        return items
    }

    /// Stores an item only if no live item has its key.
    public func insert(base: String, value: JSONValue) async throws(BaseError) -> Item {
        let item = try Item(validating: value, limits: limits, keys: keys)
        let now = clock.now()
        try await write { db in
            let baseID = try self.bases.ensure(db, base)
            guard try self.liveDocument(db, baseID, item.key, now: now) == nil else {
                throw BaseError(BaseError.conflict, "Key already exists")
            }
            try self.store(db, baseID, item)
            try self.checkQuota(db)
        }
        return item
    }

    /// Applies an update to a live item; returns the echo of the request.
    public func update(base: String, key: String, _ request: UpdateRequest) async throws(BaseError) -> JSONObject {
        let now = clock.now()
        let limits = self.limits
        try await write { db in
            let notFound = BaseError(BaseError.notFound, "Key not found")
            guard let baseID = try self.bases.id(db, base), let doc = try self.liveDocument(db, baseID, key, now: now),
                case .object(let object) = try JSONParser.parse(doc, maxDepth: limits.maxDepth + 1)
            else { throw notFound }
            var fields = object
            fields["key"] = nil
            let updated = try Item(key: key, fields: try request.apply(to: fields), limits: limits)
            try self.store(db, baseID, updated)
            try self.checkQuota(db)
        }
        var echo = request.echo
        echo["key"] = .string(key)
        return echo
    }

    /// Removes an item; removing an absent item succeeds.
    public func delete(base: String, key: String) async throws(BaseError) {
        try await write { db in
            guard let baseID = try self.bases.id(db, base) else { return }
            try db.cachedStatement(sql: "DELETE FROM items WHERE base = ? AND key = ?").execute(arguments: [baseID, key])
        }
    }

    /// Deletes items whose `__expires` has passed; returns how many.
    @discardableResult
    public func purgeExpired() async throws(BaseError) -> Int {
        let now = clock.now()
        return try await write { db in
            try db.execute(sql: "DELETE FROM items WHERE expires IS NOT NULL AND expires <= ?", arguments: [now])
            return db.changesCount
        }
    }

    // MARK: Helpers

    private func store(_ db: Database, _ baseID: Int64, _ item: Item) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO items (base, key, doc, expires) VALUES (?, ?, ?, ?)")
            .execute(arguments: [baseID, item.key, item.json, item.expires])
    }

    /// Fails a write that leaves the collection over its storage quota; its savepoint rolls back.
    private func checkQuota(_ db: Database) throws {
        guard let room = try database.room(db), room < 0 else { return }
        throw BaseError(BaseError.noSpace, "The collection's storage quota is full")
    }

    private func liveDocument(_ db: Database, _ baseID: Int64, _ key: String, now: Double) throws -> String? {
        try String.fetchOne(
            db.cachedStatement(sql: "SELECT doc FROM items WHERE base = ? AND key = ? AND (expires IS NULL OR expires > ?)"),
            arguments: [baseID, key, now])
    }

    func read<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws(BaseError) -> T {
        do {
            return try await pool.read(work)
        } catch {
            throw Self.wrap(error)
        }
    }

    private func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws(BaseError) -> T {
        do {
            return try await committer.write(work)
        } catch {
            throw Self.wrap(error)
        }
    }

    private static func wrap(_ error: any Error) -> BaseError {
        switch error {
        case let error as BaseError: error
        case let error as CoreError: BaseError(BaseError.storage, "A stored item could not be read", cause: error)
        default: BaseError(BaseError.storage, "The database failed", cause: error)
        }
    }
}
