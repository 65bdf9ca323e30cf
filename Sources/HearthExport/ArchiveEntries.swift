import Crypto
import Foundation
import HearthCore
import ZIPFoundation

/// The entries of a zip, opened for checking: every path safe and unique, no links, sizes and
/// compression ratios within `ArchiveLimits`, and each entry's content read back with its
/// declared size and CRC.
struct ArchiveEntries {
    let archive: Archive
    /// File entries by path (directories are dropped once checked).
    let files: [String: Entry]
    /// File paths in archive order.
    let order: [String]
    let totalBytes: Int64

    init(url: URL, limits: ArchiveLimits) throws(ExportError) {
        guard FileManager.default.isReadableFile(atPath: url.path) else { throw .bad("Cannot read '\(url.path)'") }
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw ExportError(ExportError.badArchive, "'\(url.lastPathComponent)' is not a zip archive, or it is truncated", cause: error)
        }
        var files: [String: Entry] = [:], order: [String] = [], seen = Set<String>(), total: Int64 = 0, count = 0
        for entry in archive {
            count += 1
            guard count <= limits.maxEntries else { throw .bad("The archive has more than \(limits.maxEntries) entries") }
            let path = entry.path
            let bare = entry.type == .directory && path.hasSuffix("/") ? String(path.dropLast()) : path
            guard ArchivePath.isSafe(bare) else { throw .bad("Unsafe entry path '\(path)': absolute, with '..', or malformed") }
            guard entry.type != .symlink else { throw .bad("Entry '\(path)' is a symbolic link") }
            guard seen.insert(bare).inserted else { throw .bad("Entry '\(path)' appears more than once") }
            guard entry.type == .file else { continue }
            let size = Int64(clamping: entry.uncompressedSize), packed = Int64(clamping: entry.compressedSize)
            guard size <= limits.maxEntryBytes else {
                throw .bad("Entry '\(path)' is larger than the limit of \(limits.maxEntryBytes) bytes")
            }
            if size > limits.ratioFloorBytes, size / max(packed, 1) > limits.maxRatio {
                throw .bad("Entry '\(path)' expands more than \(limits.maxRatio) times: refused as an archive bomb")
            }
            total += size
            guard total <= limits.maxTotalBytes else { throw .bad("The archive expands to more than \(limits.maxTotalBytes) bytes") }
            files[path] = entry
            order.append(path)
        }
        self.files = files
        self.order = order
        totalBytes = total
    }

    /// Streams an entry's content to `body` in chunks; fails if it is longer or shorter than
    /// declared or its CRC is wrong. Returns its SHA-256.
    @discardableResult
    func read(_ path: String, _ body: (Data) throws -> Void = { _ in }) throws(ExportError) -> String {
        guard let entry = files[path] else { throw .bad("The archive has no entry '\(path)'") }
        let declared = Int64(clamping: entry.uncompressedSize)
        var hasher = SHA256(), size: Int64 = 0
        let crc: CRC32
        do {
            crc = try archive.extract(entry, bufferSize: Int(1 << 20)) { chunk in
                size += Int64(chunk.count)
                guard size <= declared else { throw ExportError.bad("Entry '\(path)' is longer than its header says") }
                hasher.update(data: chunk)
                try body(chunk)
            }
        } catch let error as ExportError {
            throw error
        } catch let error as any HearthError {
            throw ExportError(ExportError.storage, error.message, cause: error)
        } catch {
            throw ExportError(ExportError.badArchive, "Entry '\(path)' is corrupt or truncated", cause: error)
        }
        guard size == declared, crc == entry.checksum else { throw .bad("Entry '\(path)' is corrupt or truncated") }
        return hasher.finalize().hexString
    }

    /// An entry's whole content, for entries no larger than `limit`.
    func data(_ path: String, limit: Int64) throws(ExportError) -> [UInt8] {
        guard let entry = files[path] else { throw .bad("The archive has no entry '\(path)'") }
        guard Int64(clamping: entry.uncompressedSize) <= limit else { throw .bad("Entry '\(path)' is larger than \(limit) bytes") }
        var bytes: [UInt8] = []
        try read(path) { bytes.append(contentsOf: $0) }
        return bytes
    }
}
