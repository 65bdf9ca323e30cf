import Crypto
import Foundation
import HearthCore
import ZIPFoundation

/// Adds a file on disk to an archive as one stored entry, read in 1 MiB chunks and hashed as
/// it goes.
enum StreamedEntry {
    static func add(_ file: URL, as path: String, to archive: Archive) throws -> ExportManifest.Entry {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        let size = Int64(try handle.seekToEnd())
        try handle.seek(toOffset: 0)
        var hasher = SHA256()
        var hashed: Int64 = 0
        try archive.addEntry(with: path, type: .file, uncompressedSize: size, bufferSize: Int(1 << 20)) { position, count in
            guard position == hashed else { throw ExportError.storage("The archive writer read out of order") }
            let bytes = try handle.read(upToCount: count) ?? Data()
            guard bytes.count == count else { throw ExportError.storage("'\(path)' changed while it was archived") }
            hasher.update(data: bytes)
            hashed += Int64(bytes.count)
            return bytes
        }
        return .init(path: path, size: size, sha256: hasher.finalize().hexString)
    }
}
