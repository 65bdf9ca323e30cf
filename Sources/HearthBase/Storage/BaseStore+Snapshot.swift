import GRDB
import HearthCore

/// Whole-Base reads and writes inside a caller's transaction, for export archives: the caller
/// holds one read transaction over the collection's database (a consistent snapshot of its
/// Bases and Drives), or one write transaction for an all-or-nothing restore.
extension BaseStore {
    /// The names of every Base, in byte order.
    package func baseNames(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM bases ORDER BY name")
    }

    /// Calls `body` with each live item's key and stored JSON, in key order.
    package func forEachItem(_ db: Database, base: String, _ body: (String, String) throws -> Void) throws {
        guard let baseID = try bases.id(db, base) else { return }
        let rows = try Row.fetchCursor(
            db, sql: "SELECT key, doc FROM items WHERE base = ? AND (expires IS NULL OR expires > ?) ORDER BY key",
            arguments: [baseID, clock.now()])
        while let row = try rows.next() { try body(row[0], row[1]) }
    }

    /// Whether `base` holds any item (live or not yet purged).
    package func hasItems(_ db: Database, base: String) throws -> Bool {
        guard let baseID = try bases.id(db, base) else { return false }
        return try Bool.fetchOne(db, sql: "SELECT 1 FROM items WHERE base = ? LIMIT 1", arguments: [baseID]) != nil
    }

    /// Writes `items` into `base` as they are (keys and JSON text kept), first deleting what
    /// the Base held; creates the Base even when `items` is empty. Fails past the quota.
    package func restore(_ db: Database, base: String, items: [Item]) throws {
        let baseID = try bases.ensure(db, base)
        try db.execute(sql: "DELETE FROM items WHERE base = ?", arguments: [baseID])
        let insert = try db.cachedStatement(sql: "INSERT INTO items (base, key, doc, expires) VALUES (?, ?, ?, ?)")
        for item in items { try insert.execute(arguments: [baseID, item.key, item.json, item.expires]) }
        if let room = try database.room(db), room < 0 { throw BaseError(BaseError.noSpace, "The collection's storage quota is full") }
    }
}
