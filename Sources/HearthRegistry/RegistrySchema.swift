import GRDB

/// The schema of `node.sqlite` (see docs/storage-format.md).
enum RegistrySchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-spaces-collections-keys") { db in
            try db.execute(
                sql: """
                    CREATE TABLE spaces (
                        id TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        created_at REAL NOT NULL
                    );
                    CREATE TABLE collections (
                        id TEXT PRIMARY KEY,
                        space TEXT NOT NULL REFERENCES spaces(id),
                        name TEXT NOT NULL,
                        path TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        UNIQUE (space, name)
                    );
                    CREATE TABLE data_keys (
                        id TEXT PRIMARY KEY,
                        collection TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        secret_hash TEXT NOT NULL UNIQUE,
                        hint TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        revoked_at REAL
                    );
                    CREATE UNIQUE INDEX data_keys_live_name ON data_keys(collection, name) WHERE revoked_at IS NULL;
                    """)
        }
        migrator.registerMigration("v2-instances") { db in
            try db.execute(
                sql: """
                    CREATE TABLE instances (
                        id TEXT PRIMARY KEY REFERENCES collections(id) ON DELETE CASCADE,
                        space TEXT NOT NULL REFERENCES spaces(id),
                        slug TEXT NOT NULL UNIQUE,
                        app_name TEXT NOT NULL,
                        source TEXT NOT NULL,
                        version TEXT NOT NULL,
                        state TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    CREATE TABLE instance_env (
                        instance TEXT NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        value TEXT NOT NULL,
                        PRIMARY KEY (instance, name)
                    );
                    CREATE TABLE action_runs (
                        instance TEXT NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
                        action TEXT NOT NULL,
                        last_run REAL NOT NULL,
                        PRIMARY KEY (instance, action)
                    );
                    """)
        }
        return migrator
    }
}
