@preconcurrency import Crypto
import Foundation

/// The encryption of one blob file (docs/storage-format.md).
///
/// A blob is a 48-byte header — magic `HRTHBLB1`, chunk size (UInt32, big-endian), 4 reserved
/// bytes, a 32-byte random salt — then the content in chunks of `chunkSize` plaintext bytes,
/// each sealed with AES-256-GCM and stored as ciphertext followed by its 16-byte tag.
///
/// The blob's key is HKDF-SHA256 of the collection key, salted, with the blob's id in the info,
/// so a blob copied under another id does not open. Chunk `i` uses nonce `i` (the key is
/// unique to the blob, so nonces never repeat under one key) and authenticates one byte, 1 for
/// the last chunk and 0 otherwise, so reordering, truncation and extension are all detected.
/// Every blob has at least one chunk; an empty file is one empty final chunk.
struct BlobCipher: Sendable {
    static let magic = Array("HRTHBLB1".utf8)
    static let headerSize = 48
    static let tagSize = 16
    static let defaultChunkSize = 64 * 1024

    let key: SymmetricKey
    let chunkSize: Int

    init(collectionKey: SymmetricKey, blobID: String, salt: some DataProtocol, chunkSize: Int) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: collectionKey, salt: salt, info: Array("hearth.drive.blob.v1:\(blobID)".utf8), outputByteCount: 32)
        self.chunkSize = chunkSize
    }

    static func header(chunkSize: Int, salt: [UInt8]) -> [UInt8] {
        let size = UInt32(chunkSize)
        return magic + [UInt8(size >> 24), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF), 0, 0, 0, 0] + salt
    }

    /// The chunk size and salt of a header, or `nil` if it is not a blob header.
    static func parseHeader(_ header: [UInt8]) -> (chunkSize: Int, salt: ArraySlice<UInt8>)? {
        guard header.count == headerSize, Array(header[0..<8]) == magic else { return nil }
        let size = header[8..<12].reduce(0) { $0 << 8 | Int($1) }
        guard size >= 1024, size <= 16 * 1024 * 1024 else { return nil }
        return (size, header[16..<48])
    }

    /// The number of chunks holding `size` plaintext bytes.
    static func chunkCount(size: Int64, chunkSize: Int) -> Int64 {
        size == 0 ? 1 : (size + Int64(chunkSize) - 1) / Int64(chunkSize)
    }

    /// The length on disk of a blob with `size` plaintext bytes.
    static func fileLength(size: Int64, chunkSize: Int) -> Int64 {
        Int64(headerSize) + size + chunkCount(size: size, chunkSize: chunkSize) * Int64(tagSize)
    }

    /// Seals one chunk and appends ciphertext and tag to `output`.
    func seal(_ plaintext: some DataProtocol, index: Int64, final: Bool, into output: inout [UInt8]) throws {
        let box = try AES.GCM.seal(plaintext, using: key, nonce: Self.nonce(index), authenticating: [final ? 1 : 0] as [UInt8])
        output.append(contentsOf: box.ciphertext)
        output.append(contentsOf: box.tag)
    }

    /// Opens one sealed chunk (ciphertext followed by tag); throws if it was altered.
    func open(_ sealed: ArraySlice<UInt8>, index: Int64, final: Bool) throws -> Data {
        let box = try AES.GCM.SealedBox(
            nonce: Self.nonce(index), ciphertext: sealed.dropLast(Self.tagSize), tag: sealed.suffix(Self.tagSize))
        return try AES.GCM.open(box, using: key, authenticating: [final ? 1 : 0] as [UInt8])
    }

    private static func nonce(_ index: Int64) -> AES.GCM.Nonce {
        var bytes = [UInt8](repeating: 0, count: 12)
        for i in 0..<8 { bytes[11 - i] = UInt8(truncatingIfNeeded: index >> (8 * i)) }
        // Twelve bytes are always a valid GCM nonce.
        return try! AES.GCM.Nonce(data: bytes)
    }
}
