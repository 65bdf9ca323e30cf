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
        migrator.registerMigration("v3-limits-meters") { db in
            try db.execute(
                sql: """
                    CREATE TABLE node_settings (
                        name TEXT PRIMARY KEY,
                        value TEXT NOT NULL
                    );
                    CREATE TABLE instance_limits (
                        instance TEXT PRIMARY KEY REFERENCES instances(id) ON DELETE CASCADE,
                        memory_bytes INTEGER,
                        processes INTEGER,
                        cpu_weight INTEGER,
                        cpu_cores REAL,
                        tmp_bytes INTEGER,
                        storage_bytes INTEGER,
                        outbound INTEGER
                    );
                    CREATE TABLE instance_meters (
                        instance TEXT NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
                        at REAL NOT NULL,
                        sandboxed INTEGER NOT NULL,
                        cpu_seconds REAL NOT NULL,
                        memory_bytes INTEGER NOT NULL,
                        memory_peak_bytes INTEGER NOT NULL,
                        processes INTEGER NOT NULL,
                        requests INTEGER NOT NULL,
                        wakes INTEGER NOT NULL,
                        bytes_in INTEGER NOT NULL,
                        bytes_out INTEGER NOT NULL,
                        base_bytes INTEGER NOT NULL,
                        drive_bytes INTEGER NOT NULL,
                        oom_kills INTEGER NOT NULL,
                        process_limit_hits INTEGER NOT NULL,
                        PRIMARY KEY (instance, at)
                    ) WITHOUT ROWID;
                    CREATE INDEX instance_meters_by_age ON instance_meters(at);
                    """)
        }
        migrator.registerMigration("v4-owners-sessions-app-keys") { db in
            try db.execute(
                sql: """
                    CREATE TABLE owners (
                        space TEXT PRIMARY KEY REFERENCES spaces(id) ON DELETE CASCADE,
                        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        passphrase TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    CREATE TABLE sessions (
                        id TEXT PRIMARY KEY,
                        token_hash TEXT NOT NULL UNIQUE,
                        space TEXT NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
                        parent TEXT REFERENCES sessions(id) ON DELETE CASCADE,
                        instance TEXT REFERENCES instances(id) ON DELETE CASCADE,
                        address TEXT NOT NULL,
                        agent TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        last_seen_at REAL NOT NULL,
                        expires_at REAL NOT NULL,
                        revoked_at REAL
                    );
                    CREATE INDEX sessions_by_parent ON sessions(parent);
                    CREATE INDEX sessions_by_space ON sessions(space, created_at);
                    CREATE TABLE app_keys (
                        id TEXT PRIMARY KEY,
                        instance TEXT NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        secret_hash TEXT NOT NULL UNIQUE,
                        hint TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        UNIQUE (instance, name)
                    );
                    """)
        }
        migrator.registerMigration("v5-releases") { db in
            try db.execute(
                sql: """
                    CREATE TABLE releases (
                        id TEXT PRIMARY KEY,
                        space TEXT NOT NULL REFERENCES spaces(id),
                        instance TEXT NOT NULL,
                        app_name TEXT NOT NULL,
                        version TEXT NOT NULL,
                        notes TEXT NOT NULL,
                        listed INTEGER NOT NULL,
                        sha256 TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        UNIQUE (space, app_name, version)
                    );
                    """)
        }
        migrator.registerMigration("v6-deployments") { db in
            try db.execute(
                sql: """
                    ALTER TABLE instances ADD COLUMN deployment TEXT NOT NULL DEFAULT '';
                    ALTER TABLE instances ADD COLUMN publisher TEXT;
                    ALTER TABLE instances ADD COLUMN previous_deployment TEXT;
                    ALTER TABLE instances ADD COLUMN previous_version TEXT;
                    ALTER TABLE instances ADD COLUMN previous_source TEXT;
                    ALTER TABLE instances ADD COLUMN previous_publisher TEXT;
                    """)
        }
        migrator.registerMigration("v7-owner-tokens") { db in
            try db.execute(
                sql: """
                    CREATE TABLE owner_tokens (
                        id TEXT PRIMARY KEY,
                        space TEXT NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        secret_hash TEXT NOT NULL UNIQUE,
                        created_at REAL NOT NULL,
                        last_used_at REAL,
                        UNIQUE (space, name)
                    );
                    """)
        }
        migrator.registerMigration("v8-release-discovery") { db in
            try db.execute(sql: "ALTER TABLE releases ADD COLUMN discovery TEXT")
        }
        return migrator
    }
}
