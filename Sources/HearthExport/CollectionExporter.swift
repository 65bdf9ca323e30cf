import Crypto
import Foundation
import GRDB
import HearthBase
import HearthCore
import HearthDrive
import ZIPFoundation

/// Writes one collection's Bases and Drives to a zip in Deta's export layout, plus
/// `hearth-export.json`. Everything is read in one read transaction, so the archive is a
/// consistent snapshot even while a node writes to the collection.
public struct CollectionExporter: Sendable {
    let base: BaseStore
    let drive: DriveStore
    let source: ExportManifest.Source
    let now: @Sendable () -> Date

    public init(base: BaseStore, drive: DriveStore, source: ExportManifest.Source, now: @escaping @Sendable () -> Date = Date.init) {
        (self.base, self.drive, self.source, self.now) = (base, drive, source, now)
    }

    /// Writes the archive to `file` (aside first, then renamed, so a failed export leaves
    /// nothing). `progress` gets Drive bytes written so far and their total.
    public func write(
        to file: URL, progress: @escaping @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws(ExportError)
        -> ExportManifest
    {
        let partial = file.appendingPathExtension("partial")
        // A file replaced while the snapshot is open may lose its blob (`drive.blob_missing`):
        // a new snapshot sees its new version.
        for attempt in 1...3 {
            try? FileManager.default.removeItem(at: partial)
            do {
                let manifest = try await base.database.pool.read { db in try self.write(db, to: partial, progress: progress) }
                guard rename(partial.path, file.path) == 0 else { throw ExportError.storage("Cannot write '\(file.path)'") }
                return manifest
            } catch let error as DriveError where error.code == DriveError.blobMissing && attempt < 3 {
                continue
            } catch {
                try? FileManager.default.removeItem(at: partial)
                if let error = error as? ExportError { throw error }
                if let error = error as? any HearthError { throw ExportError.storage(error.message, error) }
                throw ExportError.storage("Cannot write the archive: \(error)", error)
            }
        }
        throw ExportError.storage("The collection kept changing during the export; try again")
    }

    private func write(_ db: Database, to file: URL, progress: (Int64, Int64) -> Void) throws -> ExportManifest {
        let archive = try Archive(url: file, accessMode: .create)
        var entries: [ExportManifest.Entry] = []
        var bases: [ExportManifest.BaseSummary] = []
        for name in try base.baseNames(db) {
            var documents: [String] = []
            try base.forEachItem(db, base: name) { _, document in documents.append(document) }
            let data = BaseFile.encode(documents)
            let path = ArchivePath.base(name)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
            entries.append(.init(path: path, size: Int64(data.count), sha256: SHA256.hash(data: data).hexString))
            bases.append(.init(name: name, path: path, items: documents.count, sha256: BaseFile.canonicalHash(documents)))
        }
        let drives = try drive.driveNames(db).map { name in (name, try drive.allFiles(db, drive: name)) }
        let total = drives.reduce(Int64(0)) { sum, drive in drive.1.reduce(sum) { $0 + $1.size } }
        var done: Int64 = 0
        var summaries: [ExportManifest.DriveSummary] = []
        for (name, files) in drives {
            var summary = ExportManifest.DriveSummary(name: name, files: [])
            for info in files {
                let path = ArchivePath.driveFile(drive: name, name: info.name)
                let hash = try addFile(archive, path: path, file: try drive.open(db, drive: name, file: info)) { bytes in
                    done += bytes
                    progress(done, total)
                }
                entries.append(.init(path: path, size: info.size, sha256: hash))
                summary.files.append(.init(name: info.name, path: path, size: info.size, sha256: hash, contentType: info.contentType))
            }
            summaries.append(summary)
        }
        let manifest = ExportManifest(
            source: source, createdAt: ISO8601DateFormatter().string(from: now()), entries: entries, bases: bases, drives: summaries)
        let data = try ExportManifest.encoder.encode(manifest)
        try archive.addEntry(
            with: ExportManifest.path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
            provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        return manifest
    }

    /// Adds a Drive file's content, stored as it is (most large files are compressed already);
    /// returns its SHA-256.
    private func addFile(_ archive: Archive, path: String, file: DriveFile, wrote: (Int64) -> Void) throws -> String {
        var hasher = SHA256()
        var hashed: Int64 = 0
        try archive.addEntry(with: path, type: .file, uncompressedSize: file.info.size, bufferSize: Int(1 << 20)) { position, size in
            let bytes = try file.read(offset: position, count: size)
            guard position == hashed else { throw ExportError.storage("The archive writer read out of order") }
            hasher.update(data: bytes)
            hashed += Int64(bytes.count)
            wrote(Int64(bytes.count))
            return Data(bytes)
        }
        return hasher.finalize().hexString
    }
}
