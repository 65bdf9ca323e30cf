@preconcurrency import Crypto
import Foundation
import GRDB
import HearthCore
import Synchronization

/// The Drives of one collection: metadata in the collection's `data.sqlite`, content in
/// encrypted blob files under its `drive/` directory.
///
/// A write streams into a new blob file, makes it durable, and only then records it in one
/// transaction, so a file appears whole or not at all and a crash leaves at most an orphan
/// blob, which `sweepOrphans` deletes. Blobs a transaction drops are deleted after it commits.
public final class DriveStore: Sendable {
    package let database: CollectionDatabase
    let pool: DatabasePool
    let committer: GroupCommitter
    let blobs: BlobDirectory
    let collectionKey: SymmetricKey
    public let limits: DriveLimits
    let clock: WallClock
    /// Running hashes of chunked uploads whose parts arrived in order (see `commitPart`).
    let uploadHashes = Mutex<[String: UploadHash]>([:])
    let drives = NamedRows(table: "drives")

    /// The Drive tables of a collection's database.
    public static let schema = CollectionSchema(register: DriveSchema.register, outsideBytes: DriveSchema.usedBytes)

    /// Opens the Drives of collection `collectionID`, whose database is `database` (opened with
    /// `DriveStore.schema`) and whose blobs live in `directory`. The collection's key is created
    /// on first use and kept wrapped by `masterKey`.
    public init(
        database: CollectionDatabase, directory: URL, collectionID: String, masterKey: MasterKey,
        limits: DriveLimits = DriveLimits(), clock: WallClock = .system
    ) throws(DriveError) {
        self.database = database
        pool = database.pool
        committer = database.committer
        blobs = BlobDirectory(driveDirectory: directory)
        self.limits = limits
        self.clock = clock
        collectionKey = try Self.collectionKey(pool, collectionID: collectionID, masterKey: masterKey)
    }

    private static func collectionKey(_ pool: DatabasePool, collectionID: String, masterKey: MasterKey) throws(DriveError) -> SymmetricKey {
        let row: Row?
        do {
            row = try pool.write { db in
                if try Row.fetchOne(db, sql: "SELECT 1 FROM drive_key") == nil {
                    let wrapped = try masterKey.wrap(SymmetricKey(size: .bits256), collectionID: collectionID)
                    try db.execute(
                        sql: "INSERT INTO drive_key (id, master_key_id, wrapped) VALUES (1, ?, ?)", arguments: [masterKey.id, wrapped])
                }
                return try Row.fetchOne(db, sql: "SELECT master_key_id, wrapped FROM drive_key")
            }
        } catch {
            throw .storage("Cannot read the collection's Drive key", error)
        }
        guard let row, let keyID: String = row["master_key_id"], let wrapped: Data = row["wrapped"] else {
            throw .storage("The collection's Drive key is missing")
        }
        guard keyID == masterKey.id else {
            throw .storage("The collection's Drive key was sealed by master key \(keyID), but this node's master key is \(masterKey.id)")
        }
        do {
            return try masterKey.unwrap(wrapped, collectionID: collectionID)
        } catch {
            throw DriveError(DriveError.integrity, "The collection's Drive key failed its integrity check", cause: error)
        }
    }

    // MARK: Whole files

    /// A writer for a file's content, refusing more than `maxBytes` (413) or than the quota
    /// leaves (507).
    public func newWriter(maxBytes: Int64 = .max) async throws(DriveError) -> BlobWriter {
        try await newWriter(maxBytes: maxBytes, hasher: SHA256())
    }

    /// Records `writer`'s content as the file `name`, replacing any file of that name.
    /// `contentType` is the client's; unspecific types fall back to a guess from the name.
    @discardableResult
    public func commitFile(
        drive: String, name: String, contentType: String?, writer: BlobWriter
    ) async throws(DriveError)
        -> DriveFileInfo
    {
        try await writer.finish()
        let info = DriveFileInfo(
            name: name, size: writer.size, contentType: Self.resolveType(contentType, name: name),
            sha256: writer.hasher.map { $0.finalize().hexString } ?? "", modified: Date(timeIntervalSince1970: clock.now()))
        let blob = (id: writer.id, size: writer.size)
        try await write(removingOnFailure: [blob.id]) { db in
            let driveID = try self.drives.ensure(db, drive)
            let replaced = try self.replaceFile(db, driveID, info)
            try db.execute(
                sql: "INSERT INTO drive_blobs (id, drive, file, part, size) VALUES (?, ?, ?, 1, ?)",
                arguments: [blob.id, driveID, name, blob.size])
            try self.checkQuota(db)
            return replaced
        }
        return info
    }

    /// Deletes files; names that do not exist count as deleted, invalid names fail.
    public func delete(drive: String, names: [String]) async throws(DriveError) -> DeleteResult {
        var result = DeleteResult(deleted: [], failed: [])
        for name in names {
            if (try? DriveName.validate(name, maxBytes: limits.maxNameBytes)) == nil {
                result.failed.append(DeleteResult.Failure(name: name, reason: "invalid name"))
            } else {
                result.deleted.append(name)
            }
        }
        guard !result.deleted.isEmpty else { throw .bad("Names can't be empty") }
        let names = result.deleted
        try await write { db in
            guard let driveID = try self.drives.id(db, drive) else { return [] }
            var dropped: [String] = []
            for name in names { dropped += try self.deleteFile(db, driveID, name) }
            return dropped
        }
        return result
    }

    // MARK: Helpers

    func newWriter(maxBytes: Int64, hasher: SHA256?) async throws(DriveError) -> BlobWriter {
        let tooLarge = DriveError(DriveError.tooLarge, "The body is larger than \(maxBytes) bytes")
        var limit = BlobWriter.Limit(bytes: maxBytes, error: tooLarge)
        if limits.quotaBytes != nil || database.storageQuota != nil, let left = try await read({ db in try self.room(db) }),
            left < limit.bytes
        {
            limit = BlobWriter.Limit(bytes: max(0, left), error: Self.quotaFull)
        }
        return try BlobWriter(directory: blobs, collectionKey: collectionKey, limit: limit, hasher: hasher)
    }

    /// Fails a write transaction that leaves more content than a quota allows. Writers stop
    /// early at what the quotas left when they began; this settles concurrent ones exactly.
    func checkQuota(_ db: Database) throws {
        if let left = try room(db), left < 0 { throw Self.quotaFull }
    }

    /// Bytes left as `db`'s transaction sees it (negative once over), under the Drive quota
    /// (`limits.quotaBytes`, content alone) and the collection's storage quota (its database
    /// and content together); `nil` when neither is set.
    func room(_ db: Database) throws -> Int64? {
        let driveRoom = try limits.quotaBytes.map { $0 - (try DriveSchema.usedBytes(db)) }
        let storageRoom = try database.room(db)
        return [driveRoom, storageRoom].compactMap { $0 }.min()
    }

    static var quotaFull: DriveError { DriveError(DriveError.noSpace, "The collection's storage quota is full") }

    /// Bytes of content held by files and unfinished uploads.
    public func usedBytes() async throws(DriveError) -> Int64 {
        try await read { db in try DriveSchema.usedBytes(db) }
    }

    static func resolveType(_ type: String?, name: String) -> String {
        if let type, MediaTypes.isSpecific(type) { return type }
        return MediaTypes.guess(forName: name)
    }

    /// Writes `info` over any file of its name; returns the blobs the old file held.
    func replaceFile(_ db: Database, _ driveID: Int64, _ info: DriveFileInfo) throws -> [String] {
        let dropped = try deleteFile(db, driveID, info.name)
        try db.cachedStatement(
            sql: "INSERT INTO drive_files (drive, name, size, content_type, sha256, modified) VALUES (?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [driveID, info.name, info.size, info.contentType, info.sha256, info.modified.timeIntervalSince1970])
        return dropped
    }

    /// Deletes a file's row and blob rows; returns the blob ids to delete from disk.
    func deleteFile(_ db: Database, _ driveID: Int64, _ name: String) throws -> [String] {
        let ids = try String.fetchAll(
            db.cachedStatement(sql: "SELECT id FROM drive_blobs WHERE drive = ? AND file = ?"), arguments: [driveID, name])
        try db.cachedStatement(sql: "DELETE FROM drive_blobs WHERE drive = ? AND file = ?").execute(arguments: [driveID, name])
        try db.cachedStatement(sql: "DELETE FROM drive_files WHERE drive = ? AND name = ?").execute(arguments: [driveID, name])
        return ids
    }

    func read<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws(DriveError) -> T {
        do {
            return try await pool.read(work)
        } catch {
            throw Self.wrap(error)
        }
    }

    /// Runs a write transaction that returns the blobs it dropped, and deletes their files once
    /// it has committed. If it fails, the blobs in `removingOnFailure` (new, unrecorded) go.
    func write(
        removingOnFailure fresh: [String] = [], _ work: @escaping @Sendable (Database) throws -> [String]
    )
        async throws(DriveError)
    {
        do {
            blobs.remove(try await committer.write(work))
        } catch {
            blobs.remove(fresh)
            throw Self.wrap(error)
        }
    }

    static func wrap(_ error: any Error) -> DriveError {
        error as? DriveError ?? .storage("The database failed", error)
    }
}
