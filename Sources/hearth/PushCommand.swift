import ArgumentParser
import Foundation
import HearthCore
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
            signed release of it.
            """)

    @OptionGroup var options: DataOptions
    @Argument(help: "The app's directory (the one holding its Spacefile).")
    var directory = "."
    @Option(help: "The instance's host label on the first push (default: the app's name).")
    var name: String?
    @OptionGroup var output: InstallOutput

    func run() async throws {
        let app = URL(fileURLWithPath: directory).standardizedFileURL
        _ = try await failing { try Spacefile.load(directory: app) }
        var project = try await failing { try ProjectFile.read(in: app) }
        let node = options.directory.standardizedFileURL.resolvingSymlinksInPath().path
        let registry = try await failing { try options.openRegistry() }
        let layout = options.layout
        let installer = Installer(registry: registry, layout: layout, builder: Builder(tools: .standard(for: layout)))
        let progress = output.progress
        var builder: InstanceInfo?
        if let id = project.builders[node] {
            builder = try? await registry.instance(id)
            if builder == nil {
                FileHandle.standardError.write(Data("note: the builder instance \(id) is gone from this node; installing a new one\n".utf8))
            }
        }
        let pushed = try await failing {
            defer { progress.finish() }
            if let builder { return try await installer.update(builder, source: app, progress: progress) }
            return try await installer.install(source: app, name: name, progress: progress)
        }
        project.builders[node] = pushed.id
        try await failing { try project.write(in: app) }
        let running = NodeControl(layout: layout)
        if builder != nil { try? await running?.restart(pushed.id) }
        let url = NodeControl.instanceURL(slug: pushed.slug, node: running?.info)
        if output.json {
            return try printJSON(["id": pushed.id, "slug": pushed.slug, "url": url, "version": pushed.version])
        }
        print(
            """
            Pushed \(pushed.appName) to '\(pushed.slug)' (\(pushed.version)): \(url)
            Release it with `hearth release \(pushed.slug) --version X.Y.Z [--listed]`.
            """)
        if running == nil { print("Start the node with `hearth serve` to use it.") }
    }
}
