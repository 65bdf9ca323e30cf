import Crypto
import Foundation

/// A space's Ed25519 identity: the key its releases are signed with. Made on first use; the
/// private key (32 raw bytes) lives in `spaces/<space>/secrets/identity.key`, 0600 in a 0700
/// directory, and never leaves the node.
public struct SpaceIdentity {
    public let privateKey: Curve25519.Signing.PrivateKey

    public init(privateKey: Curve25519.Signing.PrivateKey) {
        self.privateKey = privateKey
    }

    public var publicKey: Curve25519.Signing.PublicKey { privateKey.publicKey }

    /// The fingerprint of the public key, in hex groups.
    public var fingerprint: String { Self.fingerprint(of: publicKey.rawRepresentation) }

    /// The SHA-256 of a raw Ed25519 public key, as 16 groups of 4 hex digits.
    public static func fingerprint(of rawPublicKey: some DataProtocol) -> String {
        let hex = Array(SHA256.hash(data: rawPublicKey).hexString)
        return stride(from: 0, to: hex.count, by: 4).map { String(hex[$0..<min($0 + 4, hex.count)]) }.joined(separator: ":")
    }

    /// The key file of `space`.
    public static func keyFile(space: String, in layout: DataLayout) -> URL {
        layout.root.appendingPathComponent("spaces/\(space)/secrets/identity.key")
    }

    /// The space's identity, created (atomically: two processes asking at once get the same key)
    /// when it has none yet.
    public static func loadOrCreate(space: String, in layout: DataLayout) throws(CoreError) -> SpaceIdentity {
        let file = keyFile(space: space, in: layout)
        if let existing = try read(file) { return existing }
        let manager = FileManager.default
        let directory = file.deletingLastPathComponent()
        let fresh = Curve25519.Signing.PrivateKey()
        let aside = directory.appendingPathComponent("identity.key.\(UUID().uuidString)")
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            guard manager.createFile(atPath: aside.path, contents: fresh.rawRepresentation, attributes: [.posixPermissions: 0o600])
            else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            throw CoreError(CoreError.storage, "Cannot write the space's identity key", cause: error)
        }
        defer { try? manager.removeItem(at: aside) }
        // link(2) fails when the file exists: whoever linked first made the key.
        _ = link(aside.path, file.path)
        guard let identity = try read(file) else {
            throw CoreError(CoreError.storage, "Cannot write the space's identity key")
        }
        return identity
    }

    private static func read(_ file: URL) throws(CoreError) -> SpaceIdentity? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        do {
            let raw = try Data(contentsOf: file)
            return SpaceIdentity(privateKey: try Curve25519.Signing.PrivateKey(rawRepresentation: raw))
        } catch {
            throw CoreError(CoreError.storage, "The space's identity key \(file.path) cannot be read", cause: error)
        }
    }
}
