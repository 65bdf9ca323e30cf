import Foundation

/// The tools builds use and where they keep their shared state.
public struct BuildTools: Sendable {
    /// The Python used to create virtual environments (3.8 or later, with `venv`).
    public var python: String
    public var node: String
    public var npm: String
    /// Hearth's Python SDK (`sdk/python`), holding the `deta` and `hearth_serve` packages.
    public var sdkDirectory: URL?
    /// A cache shared by all builds of the node (`<data>/cache`); pip and npm keep theirs below it.
    public var cacheDirectory: URL
    /// Variables added to the environment of every build tool and command (e.g. `npm_config_registry`).
    public var environment: [String: String]
    /// The longest a dependency install (pip, npm) may take.
    public var installTimeout: Duration
    /// The longest one of a micro's `commands` may take.
    public var commandTimeout: Duration

    public init(
        python: String = "python3", node: String = "node", npm: String = "npm",
        sdkDirectory: URL? = BuildTools.locateSDK(), cacheDirectory: URL, environment: [String: String] = [:],
        installTimeout: Duration = .seconds(600), commandTimeout: Duration = .seconds(900)
    ) {
        self.python = python
        self.node = node
        self.npm = npm
        self.sdkDirectory = sdkDirectory
        self.cacheDirectory = cacheDirectory
        self.environment = environment
        self.installTimeout = installTimeout
        self.commandTimeout = commandTimeout
    }

    /// The search path of build tools when the node's environment has none.
    static let systemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// Variables of the node's own environment that builds do not get: Hearth's settings (which
    /// may hold secrets) and Python settings that would change which interpreter or packages
    /// a virtual environment uses.
    static func isWithheld(_ name: String) -> Bool {
        name.hasPrefix("HEARTH_") || name.hasPrefix("DETA_")
            || ["PYTHONHOME", "PYTHONPATH", "VIRTUAL_ENV", "PYTHONPYCACHEPREFIX"].contains(name)
    }

    /// The environment of build tools: the node's own, less what `isWithheld`, plus `environment`.
    var buildEnvironment: [String: String] {
        ProcessInfo.processInfo.environment.filter { !Self.isWithheld($0.key) }
            .merging(environment) { _, configured in configured }
    }

    /// The absolute path of a tool: a path as given if it is executable, otherwise the first
    /// match on the build environment's `PATH`; nil if there is none.
    func executable(_ tool: String) -> String? {
        if tool.contains("/") { return FileManager.default.isExecutableFile(atPath: tool) ? tool : nil }
        let searchPath = buildEnvironment["PATH"] ?? Self.systemPath
        return searchPath.split(separator: ":").lazy.map { "\($0)/\(tool)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) && FileTree.followedKind(atPath: $0) == .file }
    }
}

extension BuildTools {
    /// Finds Hearth's Python SDK: `$HEARTH_SDK_DIR` if set; else, walking up from the running
    /// executable's directory, the first `sdk/python` holding `deta/__init__.py` (the repository's
    /// copy for a development build); else `<executable dir>/../share/hearth/python` (an install).
    public static func locateSDK() -> URL? {
        locateSDK(environment: ProcessInfo.processInfo.environment, executable: runningExecutable())
    }

    static func locateSDK(environment: [String: String], executable: String?) -> URL? {
        if let configured = environment["HEARTH_SDK_DIR"], !configured.isEmpty {
            return URL(fileURLWithPath: configured, isDirectory: true)
        }
        guard let executable else { return nil }
        let holdsSDK = { (directory: URL) in
            FileTree.kind(atPath: directory.appendingPathComponent("deta/__init__.py").path) == .file
        }
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent().standardized
        let installed = directory.appendingPathComponent("../share/hearth/python").standardized
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("sdk/python", isDirectory: true)
            if holdsSDK(candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return holdsSDK(installed) ? installed : nil
    }

    private static func runningExecutable() -> String? {
        FileTree.realPath("/proc/self/exe") ?? Bundle.main.executableURL?.resolvingSymlinksInPath().path
    }
}
