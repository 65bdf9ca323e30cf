@preconcurrency import Crypto
import Foundation
import HearthCore
import Synchronization

/// Reads plaintext ranges of one blob file, decrypting and authenticating only the chunks a
/// range touches. The file stays open for the reader's life, so a blob deleted meanwhile (its
/// file replaced) is still read whole. Opening is cheap (a file with many parts opens all its
/// blobs at once); the header is checked and the key derived on the first read.
final class BlobReader: Sendable {
    let id: String
    let size: Int64
    private let fd: Int32
    private let collectionKey: SymmetricKey
    private let checkedCipher = Mutex<BlobCipher?>(nil)

    /// Opens the blob `id`, whose plaintext must be `size` bytes long.
    init(directory: BlobDirectory, id: String, size: Int64, collectionKey: SymmetricKey) throws(DriveError) {
        self.id = id
        self.size = size
        self.collectionKey = collectionKey
        fd = open(directory.path(id), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let error = FileDescriptorIO.posixError()
            throw error.code == .ENOENT ? DriveError.missingBlob(error) : .storage("Cannot open a blob", error)
        }
    }

    deinit { close(fd) }

    /// The blob's cipher, after checking its header and that its length fits `size`.
    private func cipher() throws(DriveError) -> BlobCipher {
        try checkedCipher.withLock { (cached) throws(DriveError) -> BlobCipher in
            if let cached { return cached }
            var header = [UInt8](repeating: 0, count: BlobCipher.headerSize)
            var status = stat()
            guard fstat(fd, &status) == 0,
                (try? header.withUnsafeMutableBytes { try FileDescriptorIO.readExactly(fd, into: $0, count: $0.count, at: 0) }) != nil,
                let (chunkSize, salt) = BlobCipher.parseHeader(header),
                Int64(status.st_size) == BlobCipher.fileLength(size: size, chunkSize: chunkSize)
            else { throw .corrupted }
            let cipher = BlobCipher(collectionKey: collectionKey, blobID: id, salt: salt, chunkSize: chunkSize)
            cached = cipher
            return cipher
        }
    }

    /// Appends the plaintext bytes `offset ..< offset + count` to `output`.
    func read(offset: Int64, count: Int, into output: inout [UInt8]) throws(DriveError) {
        guard count > 0 else { return }
        let cipher = try cipher()
        let chunkSize = Int64(cipher.chunkSize), sealedSize = chunkSize + Int64(BlobCipher.tagSize)
        let lastChunk = BlobCipher.chunkCount(size: size, chunkSize: cipher.chunkSize) - 1
        let first = offset / chunkSize, last = (offset + Int64(count) - 1) / chunkSize
        let start = Int64(BlobCipher.headerSize) + first * sealedSize
        let end = min(
            Int64(BlobCipher.headerSize) + (last + 1) * sealedSize, BlobCipher.fileLength(size: size, chunkSize: cipher.chunkSize))
        let sealed: [UInt8]
        do {
            sealed = try [UInt8](unsafeUninitializedCapacity: Int(end - start)) { buffer, count in
                try FileDescriptorIO.readExactly(fd, into: UnsafeMutableRawBufferPointer(buffer), count: buffer.count, at: start)
                count = buffer.count
            }
        } catch {
            throw .corrupted
        }
        for index in first...last {
            let from = Int((index - first) * sealedSize)
            let plaintext: Data
            do {
                plaintext = try cipher.open(
                    sealed[from..<min(from + Int(sealedSize), sealed.count)], index: index, final: index == lastChunk)
            } catch {
                throw .corrupted
            }
            let chunkStart = index * chunkSize
            let lower = Int(max(offset, chunkStart) - chunkStart)
            let upper = Int(min(offset + Int64(count), chunkStart + Int64(plaintext.count)) - chunkStart)
            guard lower <= upper else { throw .corrupted }
            plaintext.withUnsafeBytes { output.append(contentsOf: $0[lower..<upper]) }
        }
    }
}

extension ModuleError where Domain == DriveDomain {
    /// A blob file the database names is gone: the file was replaced while being opened, or
    /// the disk lost it.
    static func missingBlob(_ cause: any Error) -> DriveError {
        DriveError(blobMissing, "The file's stored data is missing", cause: cause)
    }
}
