import ArgumentParser
import Foundation
import HearthCore
import HearthRegistry
import HearthRuntime

struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Run an app directory on the local node as a dev instance, rebuilding it on every change.",
        discussion: """
            The dev instance (<name>-dev, recorded in .hearth/project.json) has its own \
            collection, so development data stays apart from the builder instance `hearth push` \
            updates and from every installed copy. Each change to the files a build would copy \
            rebuilds it in place (Python environments are reused while requirements.txt stays \
            the same) and restarts its micros; their output is printed here. Ctrl-C stops \
            watching; the instance and its data stay for the next session. Needs a running \
            `hearth serve` on the same data directory.
            """)

    @OptionGroup var options: DataOptions
    @Argument(help: "The app's directory (the one holding its Spacefile).")
    var directory = "."
    @Option(help: "How often to look for changes, in seconds.")
    var interval = 0.5
    @Flag(help: "Print every line of the build tools' output.")
    var verbose = false

    func run() async throws {
        let app = URL(fileURLWithPath: directory).standardizedFileURL
        guard let node = NodeControl(layout: options.layout) else {
            throw ValidationError("No node is running on \(options.directory.path); start it with `hearth serve` first.")
        }
        let layout = options.layout
        let registry = try await failing { try options.openRegistry() }
        let builder = Builder(tools: .standard(for: layout))
        let installer = Installer(registry: registry, layout: layout, builder: builder)
        let progress = TerminalBuildProgress(verbose: verbose, quiet: false)
        var instance = try await failing { try await devInstance(app: app, registry: registry, installer: installer, progress: progress) }
        say("Dev instance '\(instance.slug)': \(NodeControl.instanceURL(slug: instance.slug, node: node.info))")
        say("Watching \(app.path) for changes (Ctrl-C stops).")
        var tails = micros(of: instance).map { LogTail(file: layout.instance(instance).log(micro: $0), label: $0) }
        for index in tails.indices { _ = tails[index].lastLines(0) }
        var seen = builder.sourceFingerprint(of: app)
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(interval))
            for index in tails.indices { emit(tails[index].newLines().map(\.text)) }
            let now = builder.sourceFingerprint(of: app)
            guard now != seen else { continue }
            seen = now
            let started = ContinuousClock.now
            say("Change seen; rebuilding…")
            do {
                let spacefile = try Spacefile.load(directory: app)
                try await builder.buildApp(spacefile, source: app, into: layout.instance(instance), progress: progress)
                progress.finish()
                try await node.restart(instance.id)
                instance = try await registry.instance(instance.id)
                tails = micros(of: instance).map { LogTail(file: layout.instance(instance).log(micro: $0), label: $0) }
                for index in tails.indices { _ = tails[index].lastLines(0) }
                say(
                    "Reloaded in \((ContinuousClock.now - started).formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))."
                )
            } catch let error as any HearthError {
                progress.finish()
                say("error: \(error.message)\nThe last good build keeps serving until the next change.")
            } catch {
                progress.finish()
                say("error: \(error)")
            }
        }
    }

    /// The app's dev instance on this node, installed on first use.
    private func devInstance(
        app: URL, registry: Registry, installer: Installer, progress: TerminalBuildProgress
    ) async throws
        -> InstanceInfo
    {
        var project = try ProjectFile.read(in: app)
        let node = options.directory.standardizedFileURL.resolvingSymlinksInPath().path
        if let id = project.dev[node], let found = try? await registry.instance(id) { return found }
        let spacefile = try Spacefile.load(directory: app)
        let name = (spacefile.appName ?? app.lastPathComponent) + "-dev"
        defer { progress.finish() }
        let installed = try await installer.install(source: app, name: name, progress: progress)
        project.dev[node] = installed.id
        try project.write(in: app)
        return installed
    }

    private func micros(of instance: InstanceInfo) -> [String] {
        ((try? Spacefile.load(directory: options.layout.instance(instance).app))?.micros.map(\.name)) ?? []
    }

    private func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
