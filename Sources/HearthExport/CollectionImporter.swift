import Foundation
import GRDB
import HearthBase
import HearthCore
import HearthDrive

/// Writes a checked archive (`ImportPlan`) into one collection, all or nothing: Drive content
/// goes into new blobs first (each entry hashed again as it is read, against the plan), then
/// one transaction records every Base and file. If anything fails, the transaction rolls back
/// and the new blobs are deleted.
public struct CollectionImporter {
    let plan: ImportPlan
    let archive: URL
    let limits: ArchiveLimits
    /// Free bytes on the file system holding a path; `nil` when unknown.
    let freeBytes: (URL) -> Int64?

    public init(
        plan: ImportPlan, archive: URL, limits: ArchiveLimits = ArchiveLimits(),
        freeBytes: @escaping (URL) -> Int64? = CollectionImporter.freeBytes
    ) {
        (self.plan, self.archive, self.limits, self.freeBytes) = (plan, archive, limits, freeBytes)
    }

    /// Bytes the import needs on disk: the content, its encryption overhead, and room for
    /// the database to grow.
    public var neededBytes: Int64 { plan.totalBytes + plan.totalBytes / 50 + (64 << 20) }

    /// Fails unless the file system holding `directory` has room for the import.
    public func checkFreeSpace(at directory: URL) throws(ExportError) {
        guard let free = freeBytes(directory), free < neededBytes else { return }
        throw ExportError(ExportError.noSpace, "Not enough disk space: the import needs \(neededBytes) bytes, \(free) are free")
    }

    /// The Bases and Drives of the plan that already hold data in these stores.
    public func conflicts(base: BaseStore, drive: DriveStore) async throws(ExportError) -> [String] {
        let plan = self.plan
        return try await Self.storage {
            try await base.database.pool.read { db in
                try plan.baseNames.filter { try base.hasItems(db, base: $0) }.map { "Base '\($0)'" }
                    + plan.driveNames.filter { try drive.hasFiles(db, drive: $0) }.map { "Drive '\($0)'" }
            }
        }
    }

    /// Writes the plan. Without `replace`, a Base or Drive of the plan that holds data fails
    /// the import; with it, its old content is replaced. `progress` gets Drive bytes written.
    public func write(
        base: BaseStore, drive: DriveStore, directory: URL, replace: Bool, progress: (Int64, Int64) -> Void = { _, _ in }
    ) async throws(ExportError) {
        try checkFreeSpace(at: directory)
        if !replace {
            let taken = try await conflicts(base: base, drive: drive)
            guard taken.isEmpty else {
                throw ExportError(ExportError.conflict, "\(taken.joined(separator: ", ")) already hold data; use --replace to overwrite")
            }
        }
        var blobs: [(drive: String, file: ImportPlan.PlannedFile, blob: FinishedBlob)] = []
        do {
            let entries = try ArchiveEntries(url: archive, limits: limits)
            let total = plan.drives.reduce(Int64(0)) { sum, drive in drive.files.reduce(sum) { $0 + $1.size } }
            var done: Int64 = 0
            for planned in plan.drives {
                for file in planned.files {
                    let writer = try await drive.newWriter()
                    let hash = try entries.read(file.path) { chunk in
                        try writer.append(chunk)
                        done += Int64(chunk.count)
                        progress(done, total)
                    }
                    guard hash == file.sha256 else { throw ExportError.bad("Entry '\(file.path)' changed since it was checked") }
                    blobs.append((planned.name, file, try await drive.finish(writer)))
                }
            }
            let records = blobs.map { (drive: $0.drive, name: $0.file.name, type: $0.file.contentType, blob: $0.blob) }
            let plan = self.plan
            let dropped = try await base.database.committer.write { db in
                if !replace, let taken = try Self.firstTaken(db, plan, base, drive) {
                    throw ExportError(ExportError.conflict, "\(taken) already holds data; use --replace to overwrite")
                }
                for planned in plan.bases { try base.restore(db, base: planned.name, items: planned.items) }
                var dropped: [String] = []
                for name in plan.driveNames { dropped += try drive.restoreDrive(db, drive: name) }
                for record in records {
                    try drive.restoreFile(db, drive: record.drive, name: record.name, contentType: record.type, blob: record.blob)
                }
                return dropped
            }
            drive.removeBlobs(dropped)
        } catch {
            drive.removeBlobs(blobs.map(\.blob.id))
            throw Self.wrap(error)
        }
    }

    /// A Base or Drive of the plan that holds data as `db` sees it.
    private static func firstTaken(_ db: Database, _ plan: ImportPlan, _ base: BaseStore, _ drive: DriveStore) throws -> String? {
        if let name = try plan.baseNames.first(where: { try base.hasItems(db, base: $0) }) { return "Base '\(name)'" }
        if let name = try plan.driveNames.first(where: { try drive.hasFiles(db, drive: $0) }) { return "Drive '\(name)'" }
        return nil
    }

    /// Free bytes for unprivileged users on the file system holding `url` (or its nearest
    /// existing parent).
    public static func freeBytes(_ url: URL) -> Int64? {
        var path = url
        while !FileManager.default.fileExists(atPath: path.path), path.path != "/" { path.deleteLastPathComponent() }
        var status = statvfs()
        guard statvfs(path.path, &status) == 0 else { return nil }
        return Int64(status.f_bavail) * Int64(status.f_frsize)
    }

    private static func storage<T>(_ work: () async throws -> T) async throws(ExportError) -> T {
        do { return try await work() } catch { throw wrap(error) }
    }

    static func wrap(_ error: any Error) -> ExportError {
        switch error {
        case let error as ExportError: error
        case let error as BaseError where error.code == BaseError.noSpace: ExportError(ExportError.noSpace, error.message, cause: error)
        case let error as DriveError where error.code == DriveError.noSpace: ExportError(ExportError.noSpace, error.message, cause: error)
        case let error as any HearthError: ExportError(ExportError.storage, error.message, cause: error)
        default: ExportError(ExportError.storage, "The import failed", cause: error)
        }
    }
}
