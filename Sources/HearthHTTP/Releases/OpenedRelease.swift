import Foundation
import HearthCore
import HearthExport

/// A release to install or update from, a file or another node's URL: fetched into a private
/// work directory, its signature and hashes verified, its Spacefile read. Nothing from it runs
/// before `unpack`. `hearth install`, `hearth app update` and the owner API open releases here.
public struct OpenedRelease: Sendable {
    public typealias Failure = ModuleError<OpenedRelease>
    public static var invalidSpacefile: ErrorCode { "release.invalid_spacefile" }

    public let file: URL
    /// How the instance records where it came from: the release id for a file, else the URL.
    public let origin: String
    public let manifest: ReleaseManifest
    public let spacefile: Spacefile

    /// What the release is and what it asks for.
    public var summary: ReleaseSummary { ReleaseSummary(manifest: manifest, spacefile: spacefile) }

    /// Fetches (for an http(s) URL) and verifies `argument`, a URL or a file path; `work` must
    /// be a fresh directory. `timeoutSeconds` bounds the wait for each answer.
    public static func open(
        _ argument: String, trustAnchor: String? = nil, work: URL, timeoutSeconds: Int64 = 60
    ) async throws -> OpenedRelease {
        let lowered = argument.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
            let file = URL(fileURLWithPath: argument)
            let name = file.lastPathComponent
            return try open(file: file, origin: name.hasSuffix(".zip") ? String(name.dropLast(4)) : file.path)
        }
        let file = work.appendingPathComponent("release.zip")
        try await ReleaseDownload.fetch(
            argument, to: file, maxBytes: ArchiveLimits.release.maxTotalBytes, trustAnchor: trustAnchor, timeoutSeconds: timeoutSeconds)
        return try open(file: file, origin: argument)
    }

    /// Verifies the release in `file`, recording `origin` as where it came from.
    public static func open(file: URL, origin: String) throws -> OpenedRelease {
        let (manifest, spacefileText) = try ReleaseVerifier().inspect(file)
        do {
            return OpenedRelease(file: file, origin: origin, manifest: manifest, spacefile: try Spacefile.parse(spacefileText))
        } catch {
            throw Failure(invalidSpacefile, "The release's Spacefile is not valid:\n\(error)")
        }
    }

    /// Unpacks the verified app into `directory` and returns it.
    public func unpack(into directory: URL) throws -> URL {
        _ = try ReleaseVerifier().unpack(file, into: directory)
        return directory
    }
}

/// A private directory under `<data>/tmp` for one command's or call's downloads and unpacked
/// files, removed by `remove()`.
public struct WorkDirectory: Sendable {
    public let url: URL

    public init(in layout: DataLayout, purpose: String) throws {
        url = layout.root.appendingPathComponent("tmp/\(purpose)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}
