import Foundation
import GRDB
import HearthCore

/// Whole-Drive reads and writes inside a caller's transaction, for export archives (see
/// `BaseStore+Snapshot`).
extension DriveStore {
    /// The names of every Drive, in byte order.
    package func driveNames(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM drives ORDER BY name")
    }

    /// The facts of every file of `drive`, in name order.
    package func allFiles(_ db: Database, drive: String) throws -> [DriveFileInfo] {
        guard let driveID = try drives.id(db, drive) else { return [] }
        return try Row.fetchAll(db, sql: "SELECT * FROM drive_files WHERE drive = ? ORDER BY name", arguments: [driveID])
            .map(Self.info)
    }

    /// Opens a file `db`'s snapshot holds. Fails with `drive.blob_missing` if a write
    /// committed since the snapshot began has already deleted its content.
    package func open(_ db: Database, drive: String, file info: DriveFileInfo) throws -> DriveFile {
        guard let driveID = try drives.id(db, drive) else { throw DriveError(DriveError.fileNotFound, "The file is gone") }
        let blobs = try Row.fetchAll(
            db, sql: "SELECT id, size FROM drive_blobs WHERE drive = ? AND file = ? ORDER BY part", arguments: [driveID, info.name])
        let readers = try blobs.map { row throws(DriveError) in
            try BlobReader(directory: self.blobs, id: row["id"], size: row["size"], collectionKey: collectionKey)
        }
        return DriveFile(info: info, blobs: readers)
    }

    /// Whether `drive` holds any file.
    package func hasFiles(_ db: Database, drive: String) throws -> Bool {
        guard let driveID = try drives.id(db, drive) else { return false }
        return try Bool.fetchOne(db, sql: "SELECT 1 FROM drive_files WHERE drive = ? LIMIT 1", arguments: [driveID]) != nil
    }

    /// Creates `drive` if it does not exist and deletes its files; returns the blobs to delete
    /// once the transaction has committed (`removeBlobs`).
    package func restoreDrive(_ db: Database, drive: String) throws -> [String] {
        let driveID = try drives.ensure(db, drive)
        let dropped = try String.fetchAll(db, sql: "SELECT id FROM drive_blobs WHERE drive = ? AND file IS NOT NULL", arguments: [driveID])
        try db.execute(sql: "DELETE FROM drive_blobs WHERE drive = ? AND file IS NOT NULL", arguments: [driveID])
        try db.execute(sql: "DELETE FROM drive_files WHERE drive = ?", arguments: [driveID])
        return dropped
    }

    /// Seals a writer's blob, to be recorded by `restoreFile` in a later transaction.
    package func finish(_ writer: BlobWriter) async throws(DriveError) -> FinishedBlob {
        try await writer.finish()
        return FinishedBlob(id: writer.id, size: writer.size, sha256: writer.hasher.map { $0.finalize().hexString } ?? "")
    }

    /// Records a finished blob as the file `name` of `drive` (restored earlier in this
    /// transaction). Fails past the quota.
    package func restoreFile(_ db: Database, drive: String, name: String, contentType: String?, blob: FinishedBlob) throws {
        guard let driveID = try drives.id(db, drive) else { throw DriveError.storage("The drive was not restored") }
        let info = DriveFileInfo(
            name: name, size: blob.size, contentType: Self.resolveType(contentType, name: name), sha256: blob.sha256,
            modified: Date(timeIntervalSince1970: clock.now()))
        _ = try replaceFile(db, driveID, info)
        try db.execute(
            sql: "INSERT INTO drive_blobs (id, drive, file, part, size) VALUES (?, ?, ?, 1, ?)",
            arguments: [blob.id, driveID, name, blob.size])
        try checkQuota(db)
    }

    /// Deletes blob files no committed row names (fresh ones after a failed restore, or those
    /// a committed restore dropped).
    package func removeBlobs(_ ids: [String]) {
        blobs.remove(ids)
    }
}

/// A sealed, durable blob not yet recorded by any row.
package struct FinishedBlob: Sendable {
    package let id: String
    package let size: Int64
    /// SHA-256 of its plaintext, lowercase hex.
    package let sha256: String
}
