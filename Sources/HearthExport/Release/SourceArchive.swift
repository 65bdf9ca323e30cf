import Foundation
import HearthCore
import ZIPFoundation

/// What `hearth push` sends to a remote node: an app directory as a build copies it, under
/// `app/`, with `source.json` listing every file's size and SHA-256 so that damage or
/// truncation in transit is caught. Unsigned: the owner token sending it is the authority.
public enum SourceArchive {
    public static let manifestPath = "source.json"

    struct Manifest: Codable {
        var format = "hearth-source"
        var formatVersion = 1
        var files: [ExportManifest.Entry]
    }

    /// Packs the app in `appDirectory` (already filtered by the ignore rules) into `file`.
    public static func write(appDirectory: URL, to file: URL) throws(ExportError) {
        do {
            try? FileManager.default.removeItem(at: file)
            let archive = try Archive(url: file, accessMode: .create)
            let files = try AppArchive.addApp(from: appDirectory, to: archive)
            try AppArchive.add(try ExportManifest.encoder.encode(Manifest(files: files)), as: manifestPath, to: archive)
        } catch {
            try? FileManager.default.removeItem(at: file)
            if let error = error as? ExportError { throw error }
            throw ExportError.storage("Cannot write the app's archive", error)
        }
    }

    /// Checks the archive (paths, sizes, ratios, CRCs, every hash) and writes its app into
    /// `directory`, which must not exist.
    public static func unpack(_ url: URL, into directory: URL, limits: ArchiveLimits = .release) throws(ExportError) {
        let entries = try ArchiveEntries(url: url, limits: limits)
        guard entries.files[manifestPath] != nil else { throw .bad("Not an app archive: \(manifestPath) is missing") }
        let manifest: Manifest
        do {
            manifest = try ExportManifest.decoder.decode(Manifest.self, from: Data(try entries.data(manifestPath, limit: 1 << 26)))
        } catch let error as ExportError {
            throw error
        } catch {
            throw ExportError(ExportError.badArchive, "\(manifestPath) is not a valid manifest", cause: error)
        }
        guard manifest.format == "hearth-source", manifest.formatVersion <= 1 else {
            throw .bad("The app archive is of format \(manifest.format) version \(manifest.formatVersion), which this Hearth cannot read")
        }
        try AppArchive.check(manifest.files, in: entries, besides: [manifestPath], what: "archive's manifest")
        try AppArchive.unpack(manifest.files, from: entries, totalBytes: entries.totalBytes, into: directory)
    }
}
