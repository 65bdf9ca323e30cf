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
        try AppArchive.unpack(manifest.files, from: entries, totalBytes: totalBytes, into: directory)
        return manifest
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
        try AppArchive.check(
            manifest.files, in: entries, besides: [ReleaseManifest.path, ReleaseManifest.signaturePath], what: "signed manifest")
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
