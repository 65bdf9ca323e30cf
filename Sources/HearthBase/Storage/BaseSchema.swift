import GRDB

/// The SQLite schema of a collection's `data.sqlite` (see docs/storage-format.md).
enum BaseSchema {
    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v1-bases-items") { db in
            try db.execute(
                sql: """
                    CREATE TABLE bases (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE
                    );
                    CREATE TABLE items (
                        base INTEGER NOT NULL REFERENCES bases(id),
                        key TEXT NOT NULL,
                        doc TEXT NOT NULL,
                        expires REAL,
                        PRIMARY KEY (base, key)
                    ) WITHOUT ROWID;
                    CREATE INDEX items_by_expiry ON items(expires) WHERE expires IS NOT NULL;
                    """)
        }
    }
}
