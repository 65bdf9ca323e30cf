import GRDB

/// The Drive tables of a collection's `data.sqlite` (see docs/storage-format.md).
///
/// A file's content is one or more blobs (one per uploaded part), in `part` order. A blob
/// belongs either to a file or to an unfinished upload; completing an upload hands its blobs
/// to the file in one transaction.
enum DriveSchema {
    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("drive.v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE drive_key (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        master_key_id TEXT NOT NULL,
                        wrapped BLOB NOT NULL
                    );
                    CREATE TABLE drives (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE
                    );
                    CREATE TABLE drive_files (
                        drive INTEGER NOT NULL REFERENCES drives(id),
                        name TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        content_type TEXT NOT NULL,
                        sha256 TEXT NOT NULL,
                        modified REAL NOT NULL,
                        PRIMARY KEY (drive, name)
                    ) WITHOUT ROWID;
                    CREATE TABLE drive_uploads (
                        id TEXT PRIMARY KEY,
                        drive INTEGER NOT NULL REFERENCES drives(id),
                        name TEXT NOT NULL,
                        content_type TEXT,
                        touched REAL NOT NULL
                    );
                    CREATE INDEX drive_uploads_by_age ON drive_uploads(touched);
                    CREATE TABLE drive_blobs (
                        id TEXT PRIMARY KEY,
                        drive INTEGER NOT NULL REFERENCES drives(id),
                        file TEXT,
                        upload TEXT REFERENCES drive_uploads(id),
                        part INTEGER NOT NULL,
                        size INTEGER NOT NULL,
                        CHECK ((file IS NULL) <> (upload IS NULL))
                    );
                    CREATE INDEX drive_blobs_by_file ON drive_blobs(drive, file, part) WHERE file IS NOT NULL;
                    CREATE UNIQUE INDEX drive_blobs_by_upload ON drive_blobs(upload, part) WHERE upload IS NOT NULL;
                    """)
        }
        // The bytes of all blobs, kept by triggers so quota checks need not sum every blob.
        migrator.registerMigration("drive.v2-usage") { db in
            try db.execute(
                sql: """
                    CREATE TABLE drive_usage (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        bytes INTEGER NOT NULL
                    );
                    INSERT INTO drive_usage (id, bytes) SELECT 1, coalesce(sum(size), 0) FROM drive_blobs;
                    CREATE TRIGGER drive_usage_insert AFTER INSERT ON drive_blobs
                        BEGIN UPDATE drive_usage SET bytes = bytes + NEW.size; END;
                    CREATE TRIGGER drive_usage_delete AFTER DELETE ON drive_blobs
                        BEGIN UPDATE drive_usage SET bytes = bytes - OLD.size; END;
                    CREATE TRIGGER drive_usage_update AFTER UPDATE OF size ON drive_blobs
                        BEGIN UPDATE drive_usage SET bytes = bytes - OLD.size + NEW.size; END;
                    """)
        }
    }

    /// Bytes of content held by files and unfinished uploads.
    static func usedBytes(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT bytes FROM drive_usage")) ?? 0
    }
}
