import Crypto
import Foundation
import HearthCore
import ZIPFoundation

/// Packs an installed app copy into a signed release archive: every regular file of the app
/// under `app/` (compiled `__pycache__` left out: installs rebuild them), then `release.json`
/// and `release.sig`. Written aside and renamed, so a failed release leaves nothing.
public struct ReleaseWriter {
    public let identity: SpaceIdentity
    let now: @Sendable () -> Date

    public init(identity: SpaceIdentity, now: @escaping @Sendable () -> Date = Date.init) {
        (self.identity, self.now) = (identity, now)
    }

    /// Writes the release of the app in `appDirectory` (holding its Spacefile) to `file`;
    /// returns its manifest and the archive's SHA-256. `discovery` is the app's parsed
    /// Discovery.md, which the manifest carries.
    public func write(
        appDirectory: URL, app: String, version: String, notes: String, icon: String?, discovery: Discovery? = nil,
        to file: URL
    ) throws(ExportError) -> (manifest: ReleaseManifest, sha256: String) {
        guard ReleaseVersion.isValid(version) else {
            throw .bad("'\(version)' is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.2.0)")
        }
        let partial = file.appendingPathExtension("partial")
        try? FileManager.default.removeItem(at: partial)
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            let archive = try Archive(url: partial, accessMode: .create)
            let entries = try AppArchive.addApp(from: appDirectory, to: archive)
            let present = Set(entries.map { String($0.path.dropFirst(AppArchive.prefix.count)) })
            let manifest = ReleaseManifest(
                app: app, version: version, notes: notes, createdAt: ISO8601DateFormatter().string(from: now()),
                publisher: .init(
                    publicKey: identity.publicKey.rawRepresentation.base64EncodedString(), fingerprint: identity.fingerprint),
                icon: icon.map(Self.normalized).flatMap { present.contains($0) ? ReleaseManifest.appPrefix + $0 : nil },
                discovery: present.contains(Discovery.fileName) ? ReleaseManifest.appPrefix + Discovery.fileName : nil,
                discoveryData: discovery, files: entries)
            let manifestData = try ReleaseManifest.encoder.encode(manifest)
            try AppArchive.add(manifestData, as: ReleaseManifest.path, to: archive)
            try AppArchive.add(try identity.privateKey.signature(for: manifestData), as: ReleaseManifest.signaturePath, to: archive)
            let sha256 = SHA256.hash(data: try Data(contentsOf: partial)).hexString
            guard rename(partial.path, file.path) == 0 else { throw ExportError.storage("Cannot write '\(file.path)'") }
            return (manifest, sha256)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            if let error = error as? ExportError { throw error }
            throw ExportError.storage("Cannot write the release archive", error)
        }
    }

    /// A Spacefile path as the archive names it: `./icon.png` is `icon.png`.
    static func normalized(_ path: String) -> String {
        path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }
}
