import ArgumentParser
import Foundation
import HearthCore
import HearthRegistry
import HearthRuntime
import Synchronization

struct AppInstall: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install an app from a directory holding its Spacefile, as a new instance.",
        discussion: """
            The app is copied (leaving out what .spaceignore and Deta's defaults exclude), each \
            micro is built (a Python virtual environment from requirements.txt; committed \
            node_modules for Node; `commands`), and the instance gets its own collection and host. \
            Installing the same directory twice gives two instances with separate data.
            """)

    @OptionGroup var options: DataOptions
    @Argument(help: "The app's directory (the one holding its Spacefile).")
    var directory: String
    @OptionGroup var target: InstallTarget
    @OptionGroup var output: InstallOutput

    func run() async throws {
        let layout = options.layout
        let registry = try await failing { try options.openRegistry() }
        let installer = Installer(registry: registry, layout: layout, builder: Builder(tools: .standard(for: layout)))
        let progress = output.progress
        let instance: InstanceInfo
        do {
            instance = try await installer.install(
                source: URL(fileURLWithPath: directory), name: target.name, space: target.space, progress: progress)
        } catch let error as SpacefileError {
            progress.finish()
            FileHandle.standardError.write(Data("error: the Spacefile is not valid:\n\(error)\n".utf8))
            throw ExitCode(1)
        } catch let error as any HearthError {
            progress.finish()
            FileHandle.standardError.write(Data("error: the install failed: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
        progress.finish()
        let node = NodeRunInfo.read(in: layout)
        let url = NodeControl.instanceURL(slug: instance.slug, node: node)
        if output.json {
            return try printJSON(["id": instance.id, "name": instance.appName, "slug": instance.slug, "url": url] as [String: String])
        }
        print(
            """
            Installed \(instance.appName) as '\(instance.slug)'.
              open:  \(url)   (sign in as the space's owner; scripts: an app key)
              id:    \(instance.id)   (also its project id; its micros get a data key)
            Micros start on the first request. Logs: hearth app logs \(instance.slug) -f
            """)
        if node == nil { print("Start the node with `hearth serve` to use it.") }
    }
}

/// Where an install puts the new instance: its host label and its space.
struct InstallTarget: ParsableArguments {
    @Option(help: "The instance's host label, <name>.localhost (default: the app's name).")
    var name: String?
    @Option(help: "The space to install into.")
    var space = Registry.defaultSpace
}

/// How an install reports: build progress on stderr, the result as text or JSON.
struct InstallOutput: ParsableArguments {
    @Flag(help: "Print every line of the build tools' output.")
    var verbose = false
    @Flag(help: "Print JSON instead of text.")
    var json = false

    var progress: TerminalBuildProgress { TerminalBuildProgress(verbose: verbose, quiet: json) }
}

/// Prints build progress: each step on its own line; tool output in full with `--verbose`,
/// else as one status line that keeps being replaced on a terminal.
final class TerminalBuildProgress: BuildProgress {
    let verbose: Bool
    let quiet: Bool
    let interactive = isatty(STDERR_FILENO) == 1
    /// Whether a replaceable status line is on screen.
    private let statusShown = Mutex(false)

    init(verbose: Bool, quiet: Bool) {
        self.verbose = verbose
        self.quiet = quiet
    }

    func step(_ text: String) {
        statusShown.withLock { shown in
            Self.clear(&shown)
            if !quiet { Self.write("==> \(text)\n") }
        }
    }

    func output(_ line: String) {
        guard !quiet else { return }
        statusShown.withLock { shown in
            if verbose {
                Self.write("    \(line)\n")
            } else if interactive {
                Self.write("\r\u{1B}[2K    \(line.prefix(100))")
                shown = true
            }
        }
    }

    func finish() {
        statusShown.withLock { Self.clear(&$0) }
    }

    private static func clear(_ shown: inout Bool) {
        if shown { write("\r\u{1B}[2K") }
        shown = false
    }

    private static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
