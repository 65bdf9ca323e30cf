import ArgumentParser
import Foundation
import HearthCore
import HearthExport
import HearthRegistry
import HearthRuntime

struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Build an app directory into its builder instance on a node (a new one on the first push).",
        discussion: """
            The first push installs the app as a new instance, its builder instance, and records \
            its id in .hearth/project.json (ignored by the copy and by git). Later pushes update \
            that instance: the new build goes live only if it succeeds, the data stays, and \
            `hearth app rollback` returns to the version before. Then `hearth release` makes a \
            signed release of it. After `hearth login URL` pushes go to that node, with the \
            build's progress streamed back; --local pushes to the local data directory.
            """)

    @OptionGroup var options: DataOptions
    @Argument(help: "The app's directory (the one holding its Spacefile).")
    var directory = "."
    @Option(help: "The instance's host label on the first push (default: the app's name).")
    var name: String?
    @OptionGroup var target: NodeChoice
    @OptionGroup var output: InstallOutput

    func run() async throws {
        let app = URL(fileURLWithPath: directory).standardizedFileURL
        _ = try await failing { try Spacefile.load(directory: app) }
        var project = try await failing { try ProjectFile.read(in: app) }
        let remote = try await target.remote()
        let node = remote?.origin ?? options.directory.standardizedFileURL.resolvingSymlinksInPath().path
        let progress = output.progress
        let pushed = try await failing {
            defer { progress.finish() }
            if let remote { return try await push(app, to: remote, builder: project.builders[node], progress: progress) }
            return try await pushLocally(app, builder: project.builders[node], progress: progress)
        }
        project.builders[node] = pushed.id
        try await failing { try project.write(in: app) }
        if output.json {
            return try printJSON(["id": pushed.id, "slug": pushed.slug, "url": pushed.url, "version": pushed.version])
        }
        let release = remote.map { "hearth release \(pushed.slug) --node \($0.origin)" } ?? "hearth release \(pushed.slug)"
        print(
            """
            Pushed \(pushed.app) to '\(pushed.slug)' (\(pushed.version)): \(pushed.url)
            Release it with `\(release) --version X.Y.Z [--listed]`.
            """)
        if remote == nil, NodeControl(layout: options.layout) == nil { print("Start the node with `hearth serve` to use it.") }
    }

    private func pushLocally(_ app: URL, builder id: String?, progress: TerminalBuildProgress) async throws -> RemoteInstance {
        let registry = try options.openRegistry()
        let layout = options.layout
        let installer = Installer(registry: registry, layout: layout, builder: Builder(tools: .standard(for: layout)))
        var builder: InstanceInfo?
        if let id { builder = try? await registry.instance(id) }
        if let id, builder == nil { note("the builder instance \(id) is gone from this node; installing a new one") }
        let pushed: InstanceInfo
        if let builder {
            pushed = try await installer.update(builder, source: app, progress: progress)
        } else {
            pushed = try await installer.install(source: app, name: name, progress: progress)
        }
        let running = NodeControl(layout: layout)
        if builder != nil { _ = await NodeControl.restartAfterChange(pushed.id, layout: layout) }
        let url = NodeControl.instanceURL(slug: pushed.slug, node: running?.info)
        return RemoteInstance(id: pushed.id, slug: pushed.slug, app: pushed.appName, version: pushed.version, url: url)
    }

    /// Packs the app as a build would copy it, sends it, and relays the streamed build.
    private func push(
        _ app: URL, to remote: RemoteNode, builder id: String?, progress: TerminalBuildProgress
    ) async throws -> RemoteInstance {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-push-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let staging = InstanceLayout(directory: work)
        try Builder(tools: BuildTools(cacheDirectory: work.appendingPathComponent("cache"))).stage(
            source: app, into: staging, progress: progress)
        let archive = work.appendingPathComponent("source.zip")
        try SourceArchive.write(appDirectory: staging.app, to: archive)
        var path = "push"
        if let id {
            let known = try await remote.call([RemoteInstance].self, .GET, "instances")
            if known.contains(where: { $0.id == id }) {
                path += "?instance=\(id)"
            } else {
                note("the builder instance \(id) is gone from \(remote.origin); installing a new one")
            }
        }
        if !path.contains("?"), let name { path += "?name=" + (name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? name) }
        progress.step("Sending the app to \(remote.origin)")
        var result: RemoteInstance?
        var failure: String?
        try await remote.stream(path, archive: try Data(contentsOf: archive)) { line in
            switch (line["step"], line["output"], line["result"], line["error"]) {
            case (.text(let text)?, _, _, _): progress.step(text)
            case (_, .text(let text)?, _, _): progress.output(text)
            case (_, _, .instance(let instance)?, _): result = instance
            case (_, _, _, .text(let text)?): failure = text
            default: break
            }
        }
        if let failure { throw RemoteError("cli.push_failed", "The build on \(remote.origin) failed: \(failure)") }
        guard let result else { throw RemoteError("cli.push_failed", "\(remote.origin) ended the push without a result") }
        return result
    }

    private func note(_ text: String) {
        FileHandle.standardError.write(Data("note: \(text)\n".utf8))
    }
}
