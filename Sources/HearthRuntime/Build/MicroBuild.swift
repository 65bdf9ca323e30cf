import Foundation
import HearthCore

/// The build of one micro inside an instance: what every step needs, and the way steps run tools.
struct MicroBuild: Sendable {
    let micro: Micro
    let layout: InstanceLayout
    let tools: BuildTools
    let progress: any BuildProgress
    /// `<app>/<src>`, checked to exist inside the app.
    let sourceDirectory: URL

    var buildDirectory: URL { layout.build(micro: micro.name) }
    var venv: URL { Self.venv(of: micro, in: layout) }

    static func venv(of micro: Micro, in layout: InstanceLayout) -> URL {
        layout.build(micro: micro.name).appendingPathComponent("venv", isDirectory: true)
    }

    /// The directories the micro's own programs live in, searched before the system's.
    static func toolDirectories(of micro: Micro, in layout: InstanceLayout, source: URL) -> [String] {
        switch micro.engine.family {
        case .python: [venv(of: micro, in: layout).appendingPathComponent("bin").path]
        case .node, .staticSite: [source.appendingPathComponent("node_modules/.bin").path]
        case .custom: []
        }
    }

    /// The environment of this micro's build tools and commands.
    var environment: [String: String] {
        var environment = tools.buildEnvironment
        let searchPath = environment["PATH"] ?? BuildTools.systemPath
        environment["PATH"] = (Self.toolDirectories(of: micro, in: layout, source: sourceDirectory) + [searchPath])
            .joined(separator: ":")
        environment["HOME"] = environment["HOME"] ?? layout.tmp.path
        environment["PIP_CACHE_DIR"] = tools.cacheDirectory.appendingPathComponent("pip").path
        environment["npm_config_cache"] = tools.cacheDirectory.appendingPathComponent("npm").path
        if micro.engine.family == .python { environment["VIRTUAL_ENV"] = venv.path }
        return environment
    }

    /// Runs a tool in the micro's source directory, streaming its output to the progress.
    func run(_ arguments: [String], timeout: Duration) async throws(BuildError) -> SubprocessResult {
        progress.output("$ " + arguments.joined(separator: " "))
        let subprocess = Subprocess(
            arguments: arguments, environment: environment, workingDirectory: sourceDirectory, timeout: timeout)
        let progress = progress
        return try await subprocess.run { progress.output($0) }
    }

    /// Runs a tool that must succeed; a failure throws `build.command_failed` naming `what`.
    func runChecked(_ arguments: [String], what: String, timeout: Duration) async throws(BuildError) {
        let result = try await run(arguments, timeout: timeout)
        guard !result.succeeded else { return }
        throw BuildError(BuildError.commandFailed, failureMessage(what, result, timeout: timeout))
    }

    func failureMessage(_ what: String, _ result: SubprocessResult, timeout: Duration) -> String {
        let ending =
            if result.timedOut {
                "did not finish within \(timeout)"
            } else if result.killedBySignal {
                "was killed by signal \(result.status)"
            } else {
                "failed with exit status \(result.status)"
            }
        let output = result.lastLines.isEmpty ? " (no output)" : ". Last lines of output:\n" + result.lastLines.joined(separator: "\n")
        return "\(what) of micro \(micro.name) \(ending)\(output)"
    }

    func createBuildDirectory() throws(BuildError) {
        try withStorageErrors("Could not create the build directory of micro \(micro.name)") {
            try FileManager.default.createDirectory(at: buildDirectory, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: layout.tmp, withIntermediateDirectories: true)
        }
    }
}
