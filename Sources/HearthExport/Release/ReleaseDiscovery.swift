import Foundation
import HearthCore

/// The discovery side of `hearth release`: the app's Discovery.md, checked before anything is
/// written, and the icon the discovery page shows, copied next to the archive.
enum ReleaseDiscovery {
    /// The largest icon the discovery page serves (Deta's are 512×512 PNG or WebP).
    static let maxIconBytes = 2 << 20

    /// The installed copy's Discovery.md (kept there for releases), parsed; a listed release
    /// needs one with `app_name` and `tagline`.
    static func load(app: URL, listed: Bool) throws(SpacefileError) -> Discovery? {
        let discovery: Discovery?
        do {
            discovery = try Discovery.load(directory: app)
        } catch {
            throw refusal("Discovery.md is invalid; nothing was released:", error.problems)
        }
        guard listed else { return discovery }
        let problems = discovery?.listingProblems() ?? Discovery().listingProblems()
        guard problems.isEmpty else {
            let missing = discovery == nil ? "The app has no Discovery.md" : "Discovery.md lacks fields"
            throw refusal("\(missing); a listed release needs app_name and tagline; nothing was released:", problems)
        }
        return discovery
    }

    /// Copies the release's icon (the very file the archive holds) to `file`, if it has one of a
    /// reasonable size.
    static func cacheIcon(_ manifest: ReleaseManifest, app: URL, to file: URL) throws {
        guard let path = manifest.icon, let entry = manifest.files.first(where: { $0.path == path }),
            entry.size <= maxIconBytes
        else { return }
        let data = try Data(contentsOf: app.appendingPathComponent(String(path.dropFirst(ReleaseManifest.appPrefix.count))))
        try data.write(to: file)
    }

    private static func refusal(_ summary: String, _ problems: [SpacefileProblem]) -> SpacefileError {
        let lines = problems.map { SpacefileProblem(message: "  \($0)") }
        return SpacefileError(SpacefileError.invalidDiscovery, problems: [SpacefileProblem(message: summary)] + lines)
    }
}
