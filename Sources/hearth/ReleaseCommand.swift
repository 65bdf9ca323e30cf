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
        @OptionGroup var target: NodeChoice

        func run() async throws {
            if let remote = try await target.remote() { return try await release(on: remote) }
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

        /// Asks another node to release one of its instances.
        private func release(on remote: RemoteNode) async throws {
            let body = try JSONEncoder().encode(RemoteRelease(version: version, notes: notes, listed: listed))
            let release = try await failing {
                try await remote.call(RemoteRelease.Answer.self, .POST, "instances/\(instance)/releases", body: body, expected: 201)
            }
            if json { return try printJSON(release) }
            print(
                """
                Released \(release.app) \(release.version) as \(release.id) on \(remote.origin)\(release.listed ? " (listed on /discover)" : "").
                  url:   \(release.url)
                Install it elsewhere with `hearth install \(release.url)`.
                """)
        }

        private func make(registry: Registry, layout: DataLayout) async throws -> ReleaseInfo {
            try await Releaser(registry: registry, layout: layout).release(
                try await registry.instance(instance), version: version, notes: notes, listed: listed)
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

/// A release request to another node, and its answer.
struct RemoteRelease: Codable {
    let version: String
    let notes: String
    let listed: Bool

    struct Answer: Codable {
        let id, app, version, notes, fingerprint, sha256, url: String
        let listed: Bool
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
