import Crypto
import Foundation
import HearthCore
import ZIPFoundation

/// The part release and push archives share: an app's files under `app/`, each listed in the
/// archive's manifest with its size and SHA-256, and checked against it before and while
/// anything is written.
enum AppArchive {
    static let prefix = "app/"

    /// Adds every regular file of the app in `directory` under `app/`; returns their entries.
    static func addApp(from directory: URL, to archive: Archive) throws -> [ExportManifest.Entry] {
        var entries: [ExportManifest.Entry] = []
        for path in try files(in: directory) {
            let data = try Data(contentsOf: directory.appendingPathComponent(path))
            try add(data, as: prefix + path, to: archive)
            entries.append(.init(path: prefix + path, size: Int64(data.count), sha256: SHA256.hash(data: data).hexString))
        }
        return entries
    }

    static func add(_ data: Data, as path: String, to archive: Archive) throws {
        try archive.addEntry(
            with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
            provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
    }

    /// Checks that the archive holds exactly `files` (and the `besides` paths), each with its
    /// listed size and hash, safe and listed once, among them `app/Spacefile`. `manifest` names
    /// the list in messages.
    static func check(
        _ files: [ExportManifest.Entry], in entries: ArchiveEntries, besides: Set<String>, what manifest: String
    ) throws(ExportError) {
        var listed = Set<String>()
        for file in files {
            guard file.path.hasPrefix(prefix), ArchivePath.isSafe(file.path), listed.insert(file.path).inserted else {
                throw .bad("The manifest lists an unsafe or repeated path '\(file.path)'")
            }
            guard let entry = entries.files[file.path] else { throw .bad("The archive lacks '\(file.path)', which its manifest lists") }
            let hash = try entries.read(file.path)
            guard Int64(clamping: entry.uncompressedSize) == file.size, hash == file.sha256 else {
                throw .bad("'\(file.path)' does not match its size and SHA-256 in the \(manifest)")
            }
        }
        for path in entries.order where !besides.contains(path) && !listed.contains(path) {
            throw .bad("'\(path)' is not in the \(manifest)")
        }
        guard listed.contains(prefix + "Spacefile") else { throw .bad("The archive has no app/Spacefile") }
    }

    /// Writes the checked `files` into `directory` (which must not exist), each hash checked
    /// again as it is written. On failure the directory is removed.
    static func unpack(
        _ files: [ExportManifest.Entry], from entries: ArchiveEntries, totalBytes: Int64, into directory: URL
    ) throws(ExportError) {
        if let free = CollectionImporter.freeBytes(directory), free < totalBytes + (16 << 20) {
            throw ExportError(ExportError.noSpace, "Not enough disk space: the app needs \(totalBytes) bytes, \(free) are free")
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
            for file in files {
                let target = directory.appendingPathComponent(String(file.path.dropFirst(prefix.count)))
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                guard FileManager.default.createFile(atPath: target.path, contents: nil) else {
                    throw ExportError.storage("Cannot write the app's files")
                }
                let handle = try FileHandle(forWritingTo: target)
                defer { try? handle.close() }
                let hash = try entries.read(file.path) { try handle.write(contentsOf: $0) }
                guard hash == file.sha256 else { throw ExportError.bad("'\(file.path)' changed while it was unpacked") }
            }
        } catch {
            try? FileManager.default.removeItem(at: directory)
            if let error = error as? ExportError { throw error }
            throw ExportError.storage("Cannot unpack the app", error)
        }
    }

    /// Regular files under `directory`, as sorted relative paths; symlinks and `__pycache__` left out.
    private static func files(in directory: URL) throws -> [String] {
        let root = directory.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: root) else { throw ExportError.storage("Cannot read the app's copy") }
        var paths: [String] = []
        while let path = walker.nextObject() as? String {
            let type = walker.fileAttributes?[.type] as? FileAttributeType
            if type == .typeDirectory, (path as NSString).lastPathComponent == "__pycache__" {
                walker.skipDescendants()
            } else if type == .typeRegular, ArchivePath.isSafe(path) {
                paths.append(path)
            }
        }
        return paths.sorted()
    }
}
