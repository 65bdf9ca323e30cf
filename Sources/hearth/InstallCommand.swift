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
            A failed install leaves nothing behind.
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
        let work = layout.root.appendingPathComponent("tmp/install-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let (file, origin) = try await failing { try await fetch(into: work) }
        let verifier = ReleaseVerifier()
        let (manifest, spacefileText) = try await failing { try verifier.inspect(file) }
        let spacefile: Spacefile
        do {
            spacefile = try Spacefile.parse(spacefileText)
        } catch {
            FileHandle.standardError.write(Data("error: the release's Spacefile is not valid:\n\(error)\n".utf8))
            throw ExitCode(1)
        }
        FileHandle.standardError.write(Data(ReleaseSummary(manifest: manifest, spacefile: spacefile).text.utf8))
        try confirm()
        let app = work.appendingPathComponent("app")
        _ = try await failing { try verifier.unpack(file, into: app) }
        let installer = Installer(registry: registry, layout: layout, builder: Builder(tools: .standard(for: layout)))
        let progress = output.progress
        let instance = try await failing {
            defer { progress.finish() }
            return try await installer.install(
                source: app, name: target.name, space: target.space, appName: manifest.app, version: manifest.version,
                origin: "release:" + origin,
                progress: progress)
        }
        let url = NodeControl.instanceURL(slug: instance.slug, node: NodeRunInfo.read(in: layout))
        if output.json {
            return try printJSON(
                ["id": instance.id, "name": instance.appName, "slug": instance.slug, "url": url, "version": manifest.version])
        }
        print("Installed \(manifest.app) \(manifest.version) as '\(instance.slug)': \(url)")
    }

    /// The release file (downloaded into `work` for a URL) and how the instance records its origin.
    private func fetch(into work: URL) async throws -> (URL, String) {
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let lowered = release.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
            let file = URL(fileURLWithPath: release)
            return (file, file.lastPathComponent.hasSuffix(".zip") ? String(file.lastPathComponent.dropLast(4)) : file.path)
        }
        let file = work.appendingPathComponent("release.zip")
        try await ReleaseDownload.fetch(release, to: file, maxBytes: ArchiveLimits.release.maxTotalBytes, trustAnchor: trustAnchor)
        return (file, release)
    }

    private func confirm() throws {
        if yes { return }
        guard isatty(STDIN_FILENO) == 1 else {
            FileHandle.standardError.write(Data("error: not on a terminal: pass --yes to install without confirming\n".utf8))
            throw ExitCode(1)
        }
        FileHandle.standardError.write(Data("Install it? [y/N] ".utf8))
        guard let answer = readLine()?.lowercased(), answer == "y" || answer == "yes" else {
            FileHandle.standardError.write(Data("Nothing was installed.\n".utf8))
            throw ExitCode(1)
        }
    }
}
