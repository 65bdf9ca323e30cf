import Crypto
import Foundation
import HearthCore

/// Checks a release archive before anything of it is used: the archive safety checks of every
/// import (`ArchiveEntries`: safe paths, no links, sizes and ratios within limits, every entry
/// read back with its CRC), then `release.json` signed in `release.sig` by the key it names,
/// and every file present with its size and SHA-256, under `app/`, and nothing else.
public struct ReleaseVerifier: Sendable {
    public var limits: ArchiveLimits

    public init(limits: ArchiveLimits = .release) {
        self.limits = limits
    }

    /// The verified manifest of the release at `url`.
    public func verify(_ url: URL) throws(ExportError) -> ReleaseManifest {
        try verify(try ArchiveEntries(url: url, limits: limits)).manifest
    }

    /// The verified manifest and the text of the app's Spacefile (to show what the app asks for).
    public func inspect(_ url: URL) throws(ExportError) -> (manifest: ReleaseManifest, spacefile: String) {
        let entries = try ArchiveEntries(url: url, limits: limits)
        let manifest = try verify(entries).manifest
        let bytes = try entries.data(ReleaseManifest.appPrefix + "Spacefile", limit: 1 << 20)
        return (manifest, String(decoding: bytes, as: UTF8.self))
    }

    /// Verifies the release, then writes its app into `directory` (which must not exist), each
    /// file's hash checked again as it is written. On failure the directory is removed.
    public func unpack(_ url: URL, into directory: URL) throws(ExportError) -> ReleaseManifest {
        let entries = try ArchiveEntries(url: url, limits: limits)
        let (manifest, totalBytes) = try verify(entries)
        if let free = CollectionImporter.freeBytes(directory), free < totalBytes + (16 << 20) {
            throw ExportError(ExportError.noSpace, "Not enough disk space: the app needs \(totalBytes) bytes, \(free) are free")
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
            for file in manifest.files {
                let target = directory.appendingPathComponent(String(file.path.dropFirst(ReleaseManifest.appPrefix.count)))
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                guard FileManager.default.createFile(atPath: target.path, contents: nil) else {
                    throw ExportError.storage("Cannot write the app's files")
                }
                let handle = try FileHandle(forWritingTo: target)
                defer { try? handle.close() }
                let hash = try entries.read(file.path) { try handle.write(contentsOf: $0) }
                guard hash == file.sha256 else { throw ExportError.bad("'\(file.path)' changed while it was unpacked") }
            }
            return manifest
        } catch {
            try? FileManager.default.removeItem(at: directory)
            if let error = error as? ExportError { throw error }
            throw ExportError.storage("Cannot unpack the release", error)
        }
    }

    private func verify(_ entries: ArchiveEntries) throws(ExportError) -> (manifest: ReleaseManifest, totalBytes: Int64) {
        guard entries.files[ReleaseManifest.path] != nil, entries.files[ReleaseManifest.signaturePath] != nil else {
            throw .bad("Not a release: release.json or release.sig is missing")
        }
        let manifestBytes = Data(try entries.data(ReleaseManifest.path, limit: 1 << 26))
        let signature = Data(try entries.data(ReleaseManifest.signaturePath, limit: 1024))
        let manifest: ReleaseManifest
        do {
            manifest = try ReleaseManifest.decoder.decode(ReleaseManifest.self, from: manifestBytes)
        } catch {
            throw ExportError(ExportError.badArchive, "release.json is not a valid release manifest", cause: error)
        }
        guard manifest.format == ReleaseManifest.formatName, manifest.formatVersion <= ReleaseManifest.currentVersion else {
            throw .bad("The release is of format \(manifest.format) version \(manifest.formatVersion), which this Hearth cannot read")
        }
        try checkSignature(manifest.publisher, signature: signature, of: manifestBytes)
        guard ReleaseVersion.isValid(manifest.version) else { throw .bad("The release's version '\(manifest.version)' is not valid") }
        var listed = Set<String>()
        for file in manifest.files {
            guard file.path.hasPrefix(ReleaseManifest.appPrefix), ArchivePath.isSafe(file.path), listed.insert(file.path).inserted else {
                throw .bad("The manifest lists an unsafe or repeated path '\(file.path)'")
            }
            guard let entry = entries.files[file.path] else { throw .bad("The release lacks '\(file.path)', which its manifest lists") }
            let hash = try entries.read(file.path)
            guard Int64(clamping: entry.uncompressedSize) == file.size, hash == file.sha256 else {
                throw .bad("'\(file.path)' does not match its size and SHA-256 in the signed manifest")
            }
        }
        for path in entries.order where path != ReleaseManifest.path && path != ReleaseManifest.signaturePath && !listed.contains(path) {
            throw .bad("'\(path)' is not in the signed manifest")
        }
        guard listed.contains(ReleaseManifest.appPrefix + "Spacefile") else { throw .bad("The release has no app/Spacefile") }
        return (manifest, entries.totalBytes)
    }

    private func checkSignature(_ publisher: ReleaseManifest.Publisher, signature: Data, of bytes: Data) throws(ExportError) {
        guard let raw = Data(base64Encoded: publisher.publicKey),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
        else { throw .bad("The release's publisher key is not an Ed25519 public key") }
        guard key.isValidSignature(signature, for: bytes) else {
            throw .bad("The signature does not match release.json: the release was changed or not signed by its publisher")
        }
        guard SpaceIdentity.fingerprint(of: raw) == publisher.fingerprint else {
            throw .bad("The publisher's fingerprint does not match its key")
        }
    }
}

extension ArchiveLimits {
    /// Limits for release archives: apps, not data (1 GiB unpacked, 100,000 files).
    public static var release: ArchiveLimits {
        ArchiveLimits(maxTotalBytes: 1 << 30, maxEntryBytes: 1 << 30, maxBaseFileBytes: 1 << 26, maxEntries: 100_000)
    }
}
