import Foundation

/// Thin, error-checked wrappers over the POSIX calls the blob files need.
enum FileDescriptorIO {
    static func posixError(_ code: Int32 = errno) -> POSIXError {
        POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
    }

    /// Writes all of `bytes` at the file's current offset.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw posixError()
            }
            offset += written
        }
    }

    /// Reads exactly `count` bytes at `offset` into `buffer`; fails on a short file.
    static func readExactly(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, count: Int, at offset: Int64) throws {
        var done = 0
        while done < count {
            let read = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
            if read < 0 {
                if errno == EINTR { continue }
                throw posixError()
            }
            if read == 0 { throw posixError(EIO) }
            done += read
        }
    }

    /// Flushes a file or directory to stable storage.
    static func syncFile(at url: URL) throws {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw posixError() }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw posixError() }
    }

    /// Whether an error means the disk (or a quota) is full.
    static func isOutOfSpace(_ error: any Error) -> Bool {
        guard let error = error as? POSIXError else { return false }
        return error.code == .ENOSPC || error.code == .EDQUOT
    }
}

/// Runs blocking file work (fsync, directory scans) on a dispatch queue instead of a thread of
/// Swift's cooperative pool.
func offloaded<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}
