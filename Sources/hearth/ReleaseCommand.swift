import ArgumentParser
import Foundation
import HearthCore
import HearthExport
import HearthRegistry
import HearthRuntime

struct ReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Make signed, immutable releases of installed apps, and list them.",
        discussion: """
            A release is one zip at <data>/releases/<id>.zip: the instance's installed app copy \
            (build outputs such as Python environments are left out and rebuilt on install), a \
            manifest of every file's SHA-256 (release.json) and the space's Ed25519 signature of it \
            (release.sig). The app's Discovery.md is checked and its fields signed with the rest; a \
            listed release needs one with app_name and tagline. It is downloadable at \
            /releases/<id>.zip on the node; listed ones appear on /discover (and /discover.json). \
            Install one anywhere with `hearth install FILE|URL`.
            """,
        subcommands: [Create.self, List.self],
        defaultSubcommand: Create.self)

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Release an instance's app as a new version.")

        @OptionGroup var options: DataOptions
        @Argument(help: "The instance (id or name) whose app to release.")
        var instance: String
        @Option(help: "The release's semantic version, e.g. 1.2.0 (each version once per app and space).")
        var version: String
        @Option(help: "Release notes.")
        var notes = ""
        @Flag(help: "List the release on the node's public discovery page (/discover).")
        var listed = false
        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            let layout = options.layout
            let registry = try await failing { try options.openRegistry() }
            let release = try await failing { try await make(registry: registry, layout: layout) }
            let url = NodeControl.address(of: NodeRunInfo.read(in: layout)).dashboardOrigin + "/" + release.path
            if json { return try printJSON(ReleaseRow(release, url: url)) }
            print(
                """
                Released \(release.appName) \(release.version) as \(release.id)\(release.listed ? " (listed on /discover)" : "").
                  file:  \(layout.resolve(release.path).path)
                  url:   \(url)
                Install it elsewhere with `hearth install \(url)`.
                """)
        }

        private func make(registry: Registry, layout: DataLayout) async throws -> ReleaseInfo {
            let info = try await registry.instance(instance)
            guard try await !registry.hasRelease(appName: info.appName, version: version, space: info.space) else {
                throw RegistryError(
                    RegistryError.conflict, "\(info.appName) \(version) was released already; releases are immutable")
            }
            let app = InstanceLayout(directory: layout.resolve(info.path)).app
            let spacefile = try Spacefile.load(directory: app)
            let discovery = try ReleaseDiscovery.load(app: app, listed: listed)
            let identity = try SpaceIdentity.loadOrCreate(space: info.space, in: layout)
            let id = Secrets.identifier(length: 24)
            let file = layout.resolve(ReleaseInfo.path(id: id))
            let (manifest, sha256) = try ReleaseWriter(identity: identity).write(
                appDirectory: app, app: info.appName, version: version, notes: notes, icon: spacefile.icon, discovery: discovery,
                to: file)
            let release = ReleaseInfo(
                id: id, space: info.space, instance: info.id, appName: info.appName, version: version, notes: notes, listed: listed,
                sha256: sha256, fingerprint: identity.fingerprint, createdAt: Date(), discovery: discovery)
            let icon = layout.resolve(release.iconPath)
            do {
                try ReleaseDiscovery.cacheIcon(manifest, app: app, to: icon)
                try await registry.recordRelease(release)
            } catch {
                try? FileManager.default.removeItem(at: file)
                try? FileManager.default.removeItem(at: icon)
                throw error
            }
            for path in [file.path, icon.path] {
                try? FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
            }
            return release
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the node's releases, newest first.")

        @OptionGroup var options: DataOptions
        @Option(help: "Only this space's releases.")
        var space: String?
        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            let registry = try await failing { try options.openRegistry() }
            let releases = try await failing { try await registry.releases(space: space) }
            let origin = NodeControl.address(of: NodeRunInfo.read(in: options.layout)).dashboardOrigin
            if json { return try printJSON(releases.map { ReleaseRow($0, url: origin + "/" + $0.path) }) }
            print(
                Table(
                    ["ID", "APP", "VERSION", "SPACE", "LISTED", "CREATED"],
                    releases.map {
                        [$0.id, $0.appName, $0.version, $0.space, $0.listed ? "yes" : "no", $0.createdAt.formatted(.iso8601)]
                    }))
        }
    }
}

/// A release as `hearth release --json` and `hearth release ls --json` print it.
struct ReleaseRow: Encodable {
    let id: String
    let space: String
    let instance: String
    let app: String
    let version: String
    let notes: String
    let listed: Bool
    let sha256: String
    let fingerprint: String
    let createdAt: Date
    let url: String

    init(_ release: ReleaseInfo, url: String) {
        (id, space, instance, app, version) = (release.id, release.space, release.instance, release.appName, release.version)
        (notes, listed, sha256, createdAt, self.url) = (release.notes, release.listed, release.sha256, release.createdAt, url)
        fingerprint = release.fingerprint
    }
}
