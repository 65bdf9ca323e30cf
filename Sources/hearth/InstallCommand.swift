import ArgumentParser
import Foundation
import HearthCore
import HearthExport
import HearthHTTP
import HearthRegistry
import HearthRuntime

struct InstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install a signed release (a file, or another node's release URL) as a new instance.",
        discussion: """
            The release is verified before anything runs: the publisher's Ed25519 signature of \
            release.json, and every file's size and SHA-256, with nothing outside the manifest. \
            Then its name, version, publisher fingerprint and what the app asks for are shown, and \
            on a terminal you confirm (--yes skips that; without a terminal --yes is required). \
            A failed install leaves nothing behind. Update an instance to a newer release with \
            `hearth app update`.
            """)

    @OptionGroup var options: DataOptions
    @Argument(help: "A release file (.zip) or URL (http(s)://node/releases/<id>.zip).")
    var release: String
    @OptionGroup var target: InstallTarget
    @Flag(help: "Install without asking.")
    var yes = false
    @Option(help: ArgumentHelp("A CA certificate (PEM) to trust for an https URL.", valueName: "file"))
    var trustAnchor: String?
    @OptionGroup var output: InstallOutput

    func run() async throws {
        let layout = options.layout
        let registry = try await failing { try options.openRegistry() }
        try await failing { try await registry.requireSpace(target.space) }
        let work = try WorkDirectory(in: layout, purpose: "install")
        defer { work.remove() }
        let opened = try await OpenedRelease.opening(release, trustAnchor: trustAnchor, work: work.url)
        let manifest = opened.manifest
        FileHandle.standardError.write(Data(opened.summary.text.utf8))
        try confirm("Install it?", yes: yes, declined: "Nothing was installed.")
        let app = try await opened.unpacking(into: work.url.appendingPathComponent("app"))
        let installer = Installer(registry: registry, layout: layout, builder: Builder(tools: .standard(for: layout)))
        let progress = output.progress
        let instance = try await failing {
            defer { progress.finish() }
            return try await installer.install(
                source: app, name: target.name, space: target.space, appName: manifest.app, version: manifest.version,
                origin: "release:" + opened.origin, publisher: manifest.publisher.fingerprint, progress: progress)
        }
        let url = NodeControl.instanceURL(slug: instance.slug, node: NodeRunInfo.read(in: layout))
        if output.json {
            return try printJSON(
                ["id": instance.id, "name": instance.appName, "slug": instance.slug, "url": url, "version": manifest.version])
        }
        print("Installed \(manifest.app) \(manifest.version) as '\(instance.slug)': \(url)")
    }
}
