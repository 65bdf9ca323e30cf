import Foundation
import GRDB

/// The tables one module keeps in a collection's `data.sqlite`, as migrations registered
/// under the module's own names (`base.v1`, `drive.v1`, …).
public struct CollectionSchema: Sendable {
    let register: @Sendable (inout DatabaseMigrator) -> Void

    public init(register: @escaping @Sendable (inout DatabaseMigrator) -> Void) {
        self.register = register
    }
}

/// A collection's `data.sqlite`, opened once and shared by its Base and Drive stores: one
/// pool, one group committer for writes, one batcher for point reads.
public final class CollectionDatabase: Sendable {
    package let pool: DatabasePool
    package let committer: GroupCommitter
    package let pointReader: PointReader

    /// Opens (creating if needed) the database at `file` and applies every schema's migrations.
    public init(file: URL, schemas: [CollectionSchema]) throws {
        var migrator = DatabaseMigrator()
        for schema in schemas { schema.register(&migrator) }
        pool = try SQLiteDatabase.open(file, migrator: migrator)
        committer = GroupCommitter(writer: pool, label: "hearth.collection.commit")
        pointReader = PointReader(reader: pool, label: "hearth.collection.point-read")
    }
}
