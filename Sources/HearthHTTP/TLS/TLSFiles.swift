import Foundation
import HearthCore

/// The node's TLS files under `<data>/tls/` (directory 0700): its local authority's key and
/// certificate, the server certificate it issued, and the bundle of trusted authorities handed
/// to micros. Keys are written 0600 and certificates 0644, each aside and then renamed into
/// place, so a crash leaves the old file or the new one, never half of one.
public struct TLSFiles: Sendable {
    public let directory: URL

    public init(layout: DataLayout) {
        directory = layout.tls
    }

    /// The local authority's private key: it never leaves this directory.
    public var authorityKey: URL { directory.appendingPathComponent("ca.key") }
    /// The local authority's certificate, which browsers and clients are told to trust.
    public var authorityCertificate: URL { directory.appendingPathComponent("ca.pem") }
    public var serverKey: URL { directory.appendingPathComponent("server.key") }
    /// The server certificate for the node's domain, `*.<domain>` and its loopback addresses.
    public var serverCertificate: URL { directory.appendingPathComponent("server.pem") }
    /// The system's authorities plus the node's: what micros get as `SSL_CERT_FILE`.
    public var trustBundle: URL { directory.appendingPathComponent("trust.pem") }

    /// The text of `file`, or `nil` if there is none.
    func read(_ file: URL) throws(TLSError) -> String? {
        do {
            return try String(contentsOf: file, encoding: .utf8)
        } catch CocoaError.fileReadNoSuchFile {
            return nil
        } catch {
            throw TLSError(TLSError.storage, "Cannot read \(file.path)", cause: error)
        }
    }

    /// Writes a private key, readable by its owner only.
    func writeSecret(_ text: String, to file: URL) throws(TLSError) {
        try write(text, to: file, mode: 0o600)
    }

    /// Writes a certificate or bundle, readable by all (the directory still guards it).
    func writePublic(_ text: String, to file: URL) throws(TLSError) {
        try write(text, to: file, mode: 0o644)
    }

    private func write(_ text: String, to file: URL, mode: Int) throws(TLSError) {
        let manager = FileManager.default
        let staging = directory.appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString)")
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
            guard manager.createFile(atPath: staging.path, contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
                throw CocoaError(.fileWriteUnknown)
            }
            try Self.sync(staging.path)
            guard rename(staging.path, file.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            try Self.sync(directory.path)
        } catch {
            unlink(staging.path)
            throw TLSError(TLSError.storage, "Cannot write \(file.path)", cause: error)
        }
    }

    /// Flushes a file or directory to disk.
    private static func sync(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }
}
