import Foundation
import GRDB
import Synchronization

/// The tables one module keeps in a collection's `data.sqlite`, as migrations registered
/// under the module's own names (`base.v1`, `drive.v1`, …).
public struct CollectionSchema: Sendable {
    let register: @Sendable (inout DatabaseMigrator) -> Void
    /// Bytes the module keeps outside the database file (Drive content), read cheaply inside a
    /// transaction; they count against the collection's storage quota.
    let outsideBytes: (@Sendable (Database) throws -> Int64)?

    public init(
        register: @escaping @Sendable (inout DatabaseMigrator) -> Void, outsideBytes: (@Sendable (Database) throws -> Int64)? = nil
    ) {
        self.register = register
        self.outsideBytes = outsideBytes
    }
}

/// What a collection holds: its database's used pages, and content kept beside it.
public struct StorageUsage: Sendable, Equatable {
    /// Pages of `data.sqlite` in use (Base items and Drive metadata); freed pages do not count.
    public var databaseBytes: Int64
    /// Bytes the schemas keep outside the database file (Drive content).
    public var outsideBytes: Int64

    public var totalBytes: Int64 { databaseBytes + outsideBytes }

    public init(databaseBytes: Int64, outsideBytes: Int64) {
        self.databaseBytes = databaseBytes
        self.outsideBytes = outsideBytes
    }
}

/// A collection's `data.sqlite`, opened once and shared by its Base and Drive stores: one
/// pool, one group committer for writes, one batcher for point reads, and the collection's
/// storage quota, which both stores check in their write transactions.
public final class CollectionDatabase: Sendable {
    package let pool: DatabasePool
    package let committer: GroupCommitter
    package let pointReader: PointReader
    private let outside: [@Sendable (Database) throws -> Int64]
    /// `Int64.max` for none.
    private let quota = Atomic<Int64>(.max)

    /// Opens (creating if needed) the database at `file` and applies every schema's migrations.
    public init(file: URL, schemas: [CollectionSchema]) throws {
        var migrator = DatabaseMigrator()
        for schema in schemas { schema.register(&migrator) }
        outside = schemas.compactMap(\.outsideBytes)
        pool = try SQLiteDatabase.open(file, migrator: migrator)
        committer = GroupCommitter(writer: pool, label: "hearth.collection.commit")
        pointReader = PointReader(reader: pool, label: "hearth.collection.point-read")
    }

    /// The most bytes its database and outside content may take together; `nil` for no limit.
    public var storageQuota: Int64? {
        get {
            let bytes = quota.load(ordering: .relaxed)
            return bytes == .max ? nil : bytes
        }
        set { quota.store(newValue ?? .max, ordering: .relaxed) }
    }

    /// What the collection holds now.
    public func usage() async throws -> StorageUsage {
        try await pool.read { db in try self.usage(db) }
    }

    /// What the collection holds as `db`'s transaction sees it: the pages in use (a cached
    /// statement over three pragmas) and one row per schema.
    package func usage(_ db: Database) throws -> StorageUsage {
        let used =
            try Int64.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT (p.page_count - f.freelist_count) * s.page_size
                        FROM pragma_page_count() p, pragma_freelist_count() f, pragma_page_size() s
                        """)) ?? 0
        var outsideBytes: Int64 = 0
        for measure in outside { outsideBytes += try measure(db) }
        return StorageUsage(databaseBytes: used, outsideBytes: outsideBytes)
    }

    /// Bytes left under the storage quota as `db`'s transaction sees it (negative once over),
    /// `nil` without a quota. A write transaction that leaves it negative must fail.
    package func room(_ db: Database) throws -> Int64? {
        guard let quota = storageQuota else { return nil }
        return quota - (try usage(db).totalBytes)
    }
}
