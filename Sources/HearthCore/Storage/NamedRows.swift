import GRDB
import Synchronization

/// The ids of a table's rows keyed by a unique `name` (Bases, Drives), created by their first
/// write and never removed, so ids seen by reads are cached for good.
package final class NamedRows: Sendable {
    private let select: String
    private let insert: String
    private let cache = Mutex<[String: Int64]>([:])

    /// `table` must have `id INTEGER PRIMARY KEY` and `name TEXT UNIQUE`.
    package init(table: String) {
        select = "SELECT id FROM \(table) WHERE name = ?"
        insert = "INSERT INTO \(table) (name) VALUES (?)"
    }

    /// The id of `name`, if it exists. Only reads `remember` it: a write may see a row that its
    /// transaction created and could still roll back.
    package func id(_ db: Database, _ name: String, remember: Bool = false) throws -> Int64? {
        if let id = cache.withLock({ $0[name] }) { return id }
        let id = try Int64.fetchOne(db.cachedStatement(sql: select), arguments: [name])
        if let id, remember { cache.withLock { $0[name] = id } }
        return id
    }

    /// The id of `name`, creating the row in the current write transaction if needed.
    package func ensure(_ db: Database, _ name: String) throws -> Int64 {
        if let id = try id(db, name) { return id }
        try db.cachedStatement(sql: insert).execute(arguments: [name])
        return db.lastInsertedRowID
    }
}

/// The rule for names taken from a URL segment (Bases, Drives): 1 to 256 UTF-8 bytes, no `/`
/// and no control characters (Unicode category Cc: C0, C1, DEL).
public func isValidResourceName(_ name: String) -> Bool {
    !name.isEmpty && name.utf8.count <= 256
        && !name.unicodeScalars.contains { $0 == "/" || $0.properties.generalCategory == .control }
}
