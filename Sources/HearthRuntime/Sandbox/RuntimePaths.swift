import Foundation

/// The host directories a micro's command needs besides its app and the system's: the
/// interpreter behind its virtual environment, tool directories on its `PATH`, Hearth's SDK on
/// its `PYTHONPATH`. Each is resolved through symlinks, and a `…/bin` directory stands for its
/// installation prefix (`/opt/python/3.9/bin` → `/opt/python/3.9`, where its libraries are).
/// Only the build's own variables count (never the app's presets or its `run` command, which
/// could otherwise name any host directory to be mounted).
public enum RuntimePaths {
    public static func needed(buildEnvironment environment: [String: String], instanceDirectory: String) -> [String] {
        var candidates: [String] = []
        for name in ["PATH", "PYTHONPATH", "NODE_PATH"] {
            candidates += (environment[name] ?? "").split(separator: ":").map(String.init)
        }
        if let venv = environment["VIRTUAL_ENV"] { candidates.append(venv + "/bin/python") }
        var paths: [String] = []
        for candidate in candidates {
            let resolved = URL(fileURLWithPath: candidate).resolvingSymlinksInPath().path
            guard FileManager.default.fileExists(atPath: resolved) else { continue }
            var path = resolved
            if FileKind.of(resolved) == .file { path = (path as NSString).deletingLastPathComponent }
            if (path as NSString).lastPathComponent == "bin" { path = (path as NSString).deletingLastPathComponent }
            guard !isCovered(path, instanceDirectory: instanceDirectory), path != "/" else { continue }
            paths.append(path)
        }
        return outermost(paths)
    }

    /// Whether the system mounts or the instance's own already hold `path`.
    private static func isCovered(_ path: String, instanceDirectory: String) -> Bool {
        (SandboxCommand.systemDirectories + ["/etc", instanceDirectory]).contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    /// `paths` without duplicates and without paths inside others of them, in a stable order.
    static func outermost(_ paths: [String]) -> [String] {
        let unique = Array(Set(paths)).sorted()
        return unique.filter { path in !unique.contains { path != $0 && path.hasPrefix($0 + "/") } }
    }
}
