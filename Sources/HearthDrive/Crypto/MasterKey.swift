@preconcurrency import Crypto
import Foundation
import HearthCore

/// The node master key: 32 random bytes in a file of their own, apart from the collections,
/// that wrap (encrypt) each collection's Drive key. Without it no Drive content can be read.
public struct MasterKey: Sendable {
    let key: SymmetricKey
    /// A short public fingerprint, stored next to each wrapped key so a wrong master key is
    /// reported as such rather than as corruption.
    public let id: String

    static let formatTag = "hearth-master-key-v1"

    init(key: SymmetricKey) {
        self.key = key
        let digest = key.withUnsafeBytes { SHA256.hash(data: Array("hearth.master-key.id:".utf8) + Array($0)) }
        id = String(digest.hexString.prefix(16))
    }

    /// Reads the key at `file`, creating it (mode 0600, directory 0700) if there is none.
    public static func loadOrCreate(at file: URL) throws(DriveError) -> MasterKey {
        if let key = try load(file) { return key }
        let directory = file.deletingLastPathComponent()
        let key = MasterKey(key: SymmetricKey(size: .bits256))
        let text = """
            # Hearth node master key. It unlocks every Drive file on this node: keep it secret,
            # and back it up apart from the data directory (see docs/storage-format.md).
            \(formatTag) \(key.key.withUnsafeBytes { Data($0).base64EncodedString() })

            """
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            // Written aside, then linked into place: a concurrent creator (the CLI next to a
            // running node) either wins or reads the winner's key, never half a file.
            let staging = directory.appendingPathComponent(".master.key.\(UUID().uuidString)")
            guard FileManager.default.createFile(atPath: staging.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
            else { throw CocoaError(.fileWriteUnknown) }
            defer { unlink(staging.path) }
            try FileDescriptorIO.syncFile(at: staging)
            if link(staging.path, file.path) != 0 && errno != EEXIST { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            try FileDescriptorIO.syncFile(at: directory)
        } catch {
            throw .storage("Cannot create the node master key at \(file.path)", error)
        }
        guard let stored = try load(file) else { throw .storage("The node master key at \(file.path) vanished") }
        return stored
    }

    private static func load(_ file: URL) throws(DriveError) -> MasterKey? {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch CocoaError.fileReadNoSuchFile {
            return nil
        } catch {
            throw .storage("Cannot read the node master key at \(file.path)", error)
        }
        let line = text.split(separator: "\n").first { $0.hasPrefix(formatTag + " ") }
        guard let encoded = line?.dropFirst(formatTag.count + 1), let bytes = Data(base64Encoded: String(encoded)), bytes.count == 32
        else { throw .storage("\(file.path) is not a Hearth master key") }
        return MasterKey(key: SymmetricKey(data: bytes))
    }

    /// Encrypts a collection's Drive key, bound to the collection's id.
    func wrap(_ collectionKey: SymmetricKey, collectionID: String) throws -> Data {
        let box = try collectionKey.withUnsafeBytes {
            try AES.GCM.seal(Data($0), using: key, authenticating: Self.context(collectionID))
        }
        guard let combined = box.combined else { throw DriveError.storage("Cannot wrap a collection key") }
        return combined
    }

    /// Decrypts a collection's Drive key; fails if it was wrapped by another master key or for
    /// another collection.
    func unwrap(_ wrapped: Data, collectionID: String) throws -> SymmetricKey {
        let box = try AES.GCM.SealedBox(combined: wrapped)
        return SymmetricKey(data: try AES.GCM.open(box, using: key, authenticating: Self.context(collectionID)))
    }

    private static func context(_ collectionID: String) -> Data {
        Data("hearth.drive.collection-key.v1:\(collectionID)".utf8)
    }
}
