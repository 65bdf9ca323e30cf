import Foundation
import GRDB

/// How Hearth opens every SQLite file: one WAL pool per file, `synchronous = FULL` so a
/// commit survives power loss and `kill -9`, foreign keys on, and a busy timeout so the CLI
/// and a running node can share a file.
public enum SQLiteDatabase {
    /// Opens (creating the directory and file if needed) and migrates the database at `file`.
    public static func open(_ file: URL, migrator: DatabaseMigrator) throws -> DatabasePool {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let pool = try DatabasePool(path: file.path, configuration: configuration)
        try migrator.migrate(pool)
        return pool
    }
}
