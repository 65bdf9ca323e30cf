@preconcurrency import Crypto
import Foundation
import GRDB
import HearthCore

/// The running SHA-256 of a chunked upload whose parts so far arrived in order, so completing
/// it needs no second pass over the content.
struct UploadHash: Sendable {
    var nextPart = 1
    var hasher = SHA256()
    var blobs: [String] = []
}

/// Chunked uploads (spec §2.3.2–2.3.5): parts are stored as they arrive, in any order, and
/// become the file's content in one transaction when the upload completes.
extension DriveStore {
    /// Starts an upload of `name`; returns its id.
    public func createUpload(drive: String, name: String, contentType: String?) async throws(DriveError) -> String {
        let id = BlobDirectory.newID()
        let type = contentType.flatMap { MediaTypes.isSpecific($0) ? $0 : nil }
        let now = clock.now()
        try await write { db in
            let driveID = try self.drives.ensure(db, drive)
            try db.execute(
                sql: "INSERT INTO drive_uploads (id, drive, name, content_type, touched) VALUES (?, ?, ?, ?, ?)",
                arguments: [id, driveID, name, type, now])
            return []
        }
        uploadHashes.withLock { $0[id] = UploadHash() }
        return id
    }

    /// A writer for part `part` of an upload, after checking the upload exists for this drive
    /// and name and the part number is in range.
    public func newPartWriter(drive: String, uploadID: String, name: String, part: Int) async throws(DriveError) -> BlobWriter {
        guard (1...limits.maxParts).contains(part) else {
            throw .bad("Part numbers start at 1 and go up to \(limits.maxParts)")
        }
        _ = try await upload(drive: drive, id: uploadID, name: name)
        let hasher = uploadHashes.withLock { hashes in hashes[uploadID].flatMap { $0.nextPart == part ? $0.hasher : nil } }
        return try await newWriter(maxBytes: limits.maxPartBytes, hasher: hasher)
    }

    /// Records a written part, replacing an earlier upload of the same part number.
    public func commitPart(
        drive: String, uploadID: String, name: String, part: Int, contentType: String?, writer: BlobWriter
    )
        async throws(DriveError)
    {
        try await writer.finish()
        let blob = (id: writer.id, size: writer.size)
        let type = contentType.flatMap { MediaTypes.isSpecific($0) ? $0 : nil }
        let now = clock.now()
        try await write(removingOnFailure: [blob.id]) { db in
            let (driveID, _) = try self.upload(db, drive: drive, id: uploadID, name: name)
            let replaced = try String.fetchAll(
                db, sql: "SELECT id FROM drive_blobs WHERE upload = ? AND part = ?", arguments: [uploadID, part])
            try db.execute(sql: "DELETE FROM drive_blobs WHERE upload = ? AND part = ?", arguments: [uploadID, part])
            try db.execute(
                sql: "INSERT INTO drive_blobs (id, drive, upload, part, size) VALUES (?, ?, ?, ?, ?)",
                arguments: [blob.id, driveID, uploadID, part, blob.size])
            try db.execute(
                sql: "UPDATE drive_uploads SET touched = ?, content_type = coalesce(content_type, ?) WHERE id = ?",
                arguments: [now, type, uploadID])
            try self.checkQuota(db)
            return replaced
        }
        let hasher = writer.hasher
        uploadHashes.withLock { hashes in
            guard let state = hashes[uploadID] else { return }
            if let hasher, state.nextPart == part {
                hashes[uploadID] = UploadHash(nextPart: part + 1, hasher: hasher, blobs: state.blobs + [blob.id])
            } else if part < state.nextPart {
                hashes[uploadID] = nil  // an earlier part changed: the running hash is void
            }
        }
    }

    /// Makes the upload's parts, in part order, the content of its file. The parts must be
    /// numbered 1…n without gaps; an upload with no parts gives an empty file.
    @discardableResult
    public func completeUpload(drive: String, uploadID: String, name: String) async throws(DriveError) -> DriveFileInfo {
        let (_, storedType) = try await upload(drive: drive, id: uploadID, name: name)
        let parts = try await read { db in
            try Row.fetchAll(db, sql: "SELECT id, part, size FROM drive_blobs WHERE upload = ? ORDER BY part", arguments: [uploadID])
                .map { (id: $0["id"] as String, part: $0["part"] as Int, size: $0["size"] as Int64) }
        }
        for (index, part) in parts.enumerated() where part.part != index + 1 {
            throw .bad("Part \(index + 1) is missing")
        }
        let ids = parts.map(\.id)
        let sha256 = try await contentHash(uploadID: uploadID, parts: parts.map { ($0.id, $0.size) })
        let info = DriveFileInfo(
            name: name, size: parts.reduce(0) { $0 + $1.size }, contentType: Self.resolveType(storedType, name: name),
            sha256: sha256, modified: Date(timeIntervalSince1970: clock.now()))
        try await write { db in
            let (driveID, _) = try self.upload(db, drive: drive, id: uploadID, name: name)
            let current = try String.fetchAll(db, sql: "SELECT id FROM drive_blobs WHERE upload = ? ORDER BY part", arguments: [uploadID])
            guard current == ids else { throw DriveError(DriveError.conflict, "A part changed while the upload was completing") }
            let replaced = try self.replaceFile(db, driveID, info)
            try db.execute(sql: "UPDATE drive_blobs SET upload = NULL, file = ? WHERE upload = ?", arguments: [name, uploadID])
            try db.execute(sql: "DELETE FROM drive_uploads WHERE id = ?", arguments: [uploadID])
            return replaced
        }
        uploadHashes.withLock { $0[uploadID] = nil }
        return info
    }

    /// Cancels an upload and deletes its parts.
    public func abortUpload(drive: String, uploadID: String, name: String) async throws(DriveError) {
        try await write { db in
            _ = try self.upload(db, drive: drive, id: uploadID, name: name)
            return try Self.dropUpload(db, uploadID)
        }
        uploadHashes.withLock { $0[uploadID] = nil }
    }

    /// Deletes uploads with no new part for `limits.uploadExpiry` seconds; returns how many.
    @discardableResult
    public func expireUploads() async throws(DriveError) -> Int {
        let cutoff = clock.now() - limits.uploadExpiry
        let expired = try await read { db in
            try String.fetchAll(db, sql: "SELECT id FROM drive_uploads WHERE touched < ?", arguments: [cutoff])
        }
        guard !expired.isEmpty else { return 0 }
        try await write { db in
            var dropped: [String] = []
            for id in expired
            where try Bool.fetchOne(db, sql: "SELECT 1 FROM drive_uploads WHERE id = ? AND touched < ?", arguments: [id, cutoff]) != nil {
                dropped += try Self.dropUpload(db, id)
            }
            return dropped
        }
        uploadHashes.withLock { hashes in expired.forEach { hashes[$0] = nil } }
        return expired.count
    }

    // MARK: Helpers

    private static func dropUpload(_ db: Database, _ id: String) throws -> [String] {
        let ids = try String.fetchAll(db, sql: "SELECT id FROM drive_blobs WHERE upload = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM drive_blobs WHERE upload = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM drive_uploads WHERE id = ?", arguments: [id])
        return ids
    }

    /// The upload's stored content type, after checking it exists for this drive and name.
    private func upload(drive: String, id: String, name: String) async throws(DriveError) -> (Int64, String?) {
        try await read { db in try self.upload(db, drive: drive, id: id, name: name) }
    }

    private func upload(_ db: Database, drive: String, id: String, name: String) throws -> (Int64, String?) {
        guard let driveID = try drives.id(db, drive),
            let row = try Row.fetchOne(
                db, sql: "SELECT name, content_type FROM drive_uploads WHERE id = ? AND drive = ?", arguments: [id, driveID])
        else { throw DriveError(DriveError.uploadNotFound, "Upload not found") }
        guard row["name"] as String == name else { throw DriveError.bad("The name does not match the upload's name") }
        return (driveID, row["content_type"])
    }

    /// The SHA-256 of the parts' content: the running hash if every part arrived in order,
    /// otherwise one pass over the stored parts.
    private func contentHash(uploadID: String, parts: [(id: String, size: Int64)]) async throws(DriveError) -> String {
        let running = uploadHashes.withLock { $0[uploadID] }
        if let running, running.blobs == parts.map(\.id) { return running.hasher.finalize().hexString }
        let readers = try parts.map { (part) throws(DriveError) in
            try BlobReader(directory: blobs, id: part.id, size: part.size, collectionKey: collectionKey)
        }
        do {
            return try await offloaded {
                var hasher = SHA256()
                for reader in readers {
                    var offset: Int64 = 0
                    while offset < reader.size {
                        var bytes: [UInt8] = []
                        let count = Int(min(Int64(1 << 20), reader.size - offset))
                        try reader.read(offset: offset, count: count, into: &bytes)
                        hasher.update(data: bytes)
                        offset += Int64(count)
                    }
                }
                return hasher.finalize().hexString
            }
        } catch {
            throw Self.wrap(error)
        }
    }
}
