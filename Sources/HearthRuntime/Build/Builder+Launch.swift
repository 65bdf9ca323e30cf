import Foundation
import HearthCore

extension Builder {
    /// How to start a built micro (spec §5.1); a pure function of the micro, the layout and the
    /// tools, so the supervisor calls it at every start.
    ///
    /// - `run` given: `/bin/sh -c run`.
    /// - Python without `run`: `<venv>/bin/python -m hearth_serve main:app --host 127.0.0.1`
    ///   (the node reaches micros on loopback; nothing else needs to).
    /// - Node without `run`: the framework's built server (`next`: `.next/standalone/server.js`,
    ///   `nuxt`: `.output/server/index.mjs`, `svelte-kit`: `build/index.js`), else `node index.js`,
    ///   else `npm start` if `package.json` has a start script.
    /// - Static engines: the `serve` directory, with SPA fallback.
    /// - Anything that cannot start becomes a process that prints why and exits with status 1.
    public func launch(for micro: Micro, in layout: InstanceLayout) -> MicroLaunch {
        guard let source = AppPaths.source(of: micro, in: layout.app) else {
            return .failing("The src of micro \(micro.name) leads outside the app", workingDirectory: layout.app)
        }
        if micro.engine.family == .staticSite {
            guard let root = AppPaths.staticRoot(of: micro, source: source, app: layout.app) else {
                return .failing("The directory micro \(micro.name) serves is outside the app", workingDirectory: source)
            }
            return .staticSite(root: root, spaFallback: true)
        }
        let environment = launchEnvironment(for: micro, in: layout, source: source)
        let start = { (arguments: [String]) in
            MicroLaunch.process(arguments: arguments, environment: environment, workingDirectory: source)
        }
        if let run = micro.run, !run.trimmingCharacters(in: .whitespaces).isEmpty {
            return start(["/bin/sh", "-c", run])
        }
        let noStart = MicroLaunch.failing(
            "Micro \(micro.name) has no start command: give it a `run` in the Spacefile", workingDirectory: source)
        switch micro.engine.family {
        case .python:
            return start([
                MicroBuild.venv(of: micro, in: layout).path + "/bin/python", "-m", "hearth_serve", "main:app", "--host", "127.0.0.1",
            ])
        case .node:
            let exists = { (file: String) in FileTree.followedKind(atPath: source.appendingPathComponent(file).path) == .file }
            let command: [String]
            if let entry = Self.nodeEntryPoints(micro.engine).first(where: exists) {
                command = [tools.node, entry]
            } else if (try? PackageManifest.read(in: source))??.hasStartScript == true {
                command = [tools.npm, "start"]
            } else {
                return noStart
            }
            guard let executable = tools.executable(command[0]) else {
                return .failing("\(command[0]) is not installed on this node (Debian: apt install nodejs npm)", workingDirectory: source)
            }
            return start([executable] + command.dropFirst())
        case .staticSite, .custom:
            return noStart
        }
    }

    /// The files a Node micro without `run` is started with, in order of preference.
    static func nodeEntryPoints(_ engine: Engine) -> [String] {
        let built: [Engine: String] = [
            .next: ".next/standalone/server.js", .nuxt: ".output/server/index.mjs", .svelteKit: "build/index.js",
        ]
        return (built[engine].map { [$0] } ?? []) + ["index.js"]
    }

    /// The variables the build decides: `PATH` holding just the micro's own tool directories
    /// (the supervisor puts them before the system's), and for Python the virtual environment,
    /// Hearth's SDK on `PYTHONPATH` and unbuffered output.
    func launchEnvironment(for micro: Micro, in layout: InstanceLayout, source: URL) -> [String: String] {
        var directories = MicroBuild.toolDirectories(of: micro, in: layout, source: source)
        if micro.engine.family == .node, let node = tools.executable(tools.node) {
            directories.append((node as NSString).deletingLastPathComponent)
        }
        var environment: [String: String] = [:]
        if !directories.isEmpty { environment["PATH"] = directories.joined(separator: ":") }
        if micro.engine.family == .python {
            environment["VIRTUAL_ENV"] = MicroBuild.venv(of: micro, in: layout).path
            environment["PYTHONUNBUFFERED"] = "1"
            environment["PYTHONDONTWRITEBYTECODE"] = "1"
            if let sdk = tools.sdkDirectory { environment["PYTHONPATH"] = sdk.path }
        }
        return environment
    }
}
