@preconcurrency import Crypto
import Foundation

/// Streams plaintext into a new encrypted blob file, a chunk at a time, so no upload is ever
/// held in memory. `finish` makes the file durable; until the database records the blob it is
/// invisible, and a writer dropped unfinished deletes its file.
public final class BlobWriter {
    /// Why a writer refuses more bytes.
    struct Limit {
        var bytes: Int64
        var error: DriveError
    }

    public let id: String
    /// The most bytes this writer takes, and the error past them.
    public var limitBytes: Int64 { limit.bytes }
    public var limitError: DriveError { limit.error }
    /// Plaintext bytes written so far.
    public private(set) var size: Int64 = 0
    let url: URL
    private var fd: Int32
    private let cipher: BlobCipher
    private let limit: Limit
    private var pending: [UInt8] = []
    private var sealed: [UInt8] = []
    private var chunkIndex: Int64 = 0
    /// The running SHA-256 of the content, when the caller wants one.
    private(set) var hasher: SHA256?

    static let flushBytes = 1 << 20

    init(
        directory: BlobDirectory, collectionKey: SymmetricKey, limit: Limit, hasher: SHA256?, chunkSize: Int = BlobCipher.defaultChunkSize
    )
        throws(DriveError)
    {
        id = BlobDirectory.newID()
        let salt = (0..<32).map { _ in UInt8.random(in: 0...255) }
        cipher = BlobCipher(collectionKey: collectionKey, blobID: id, salt: salt, chunkSize: chunkSize)
        self.limit = limit
        self.hasher = hasher
        pending.reserveCapacity(chunkSize)
        sealed = BlobCipher.header(chunkSize: chunkSize, salt: salt)
        sealed.reserveCapacity(Self.flushBytes + chunkSize + BlobCipher.tagSize)
        do {
            url = try directory.prepare(id)
            fd = Foundation.open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw FileDescriptorIO.posixError() }
        } catch {
            throw Self.wrap(error)
        }
    }

    deinit {
        if fd >= 0 {
            close(fd)
            unlink(url.path)
        }
    }

    /// Adds bytes; throws the limit's error once the content would pass it.
    public func append(_ bytes: UnsafeRawBufferPointer) throws(DriveError) {
        guard size + Int64(bytes.count) <= limit.bytes else { throw limit.error }
        size += Int64(bytes.count)
        hasher?.update(bufferPointer: bytes)
        var rest = bytes[...]
        while !rest.isEmpty {
            if pending.count == cipher.chunkSize { try sealPending(final: false) }
            let take = min(cipher.chunkSize - pending.count, rest.count)
            pending.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
        }
    }

    public func append(_ bytes: some ContiguousBytes) throws(DriveError) {
        do {
            try bytes.withUnsafeBytes { try append($0) }
        } catch {
            throw Self.wrap(error)
        }
    }

    /// Seals the last chunk and flushes the file to disk. The writer cannot be used afterwards.
    func finish() async throws(DriveError) {
        try sealPending(final: true)
        try flush()
        let fd = self.fd, url = self.url
        self.fd = -1
        do {
            try await offloaded {
                defer { close(fd) }
                guard fsync(fd) == 0 else { throw FileDescriptorIO.posixError() }
                try FileDescriptorIO.syncFile(at: url.deletingLastPathComponent())
            }
        } catch {
            unlink(url.path)
            throw Self.wrap(error)
        }
    }

    private func sealPending(final: Bool) throws(DriveError) {
        do {
            try cipher.seal(pending, index: chunkIndex, final: final, into: &sealed)
        } catch {
            throw .storage("Cannot encrypt a chunk", error)
        }
        chunkIndex += 1
        pending.removeAll(keepingCapacity: true)
        if sealed.count >= Self.flushBytes { try flush() }
    }

    private func flush() throws(DriveError) {
        do {
            try sealed.withUnsafeBytes { try FileDescriptorIO.writeAll(fd, $0) }
        } catch {
            throw Self.wrap(error)
        }
        sealed.removeAll(keepingCapacity: true)
    }

    private static func wrap(_ error: any Error) -> DriveError {
        if let error = error as? DriveError { return error }
        if FileDescriptorIO.isOutOfSpace(error) { return DriveError(DriveError.noSpace, "Not enough storage space", cause: error) }
        return .storage("Cannot write a blob", error)
    }
}
