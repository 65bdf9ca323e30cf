import Foundation

/// How to start a built micro.
public enum MicroLaunch: Sendable, Equatable {
    /// A process: `arguments[0]` is an absolute executable path (or `/bin/sh` with `-c`, command).
    /// `environment` holds only what the build decides: `PATH` with the micro's own tool
    /// directories (venv, `node_modules/.bin`), to be put before the system's, and Python's
    /// variables. The supervisor adds `PORT`, `DETA_*` and the rest.
    case process(arguments: [String], environment: [String: String], workingDirectory: URL)
    /// Files the node serves itself.
    case staticSite(root: URL, spaFallback: Bool)

    /// A process that prints `message` to stderr and exits with status 1, for micros that
    /// cannot start; the supervisor then reports it like any crashed micro.
    static func failing(_ message: String, workingDirectory: URL) -> MicroLaunch {
        let quoted = "'" + message.replacingOccurrences(of: "'", with: "'\\''") + "'"
        return .process(
            arguments: ["/bin/sh", "-c", "echo \(quoted) >&2; exit 1"], environment: [:], workingDirectory: workingDirectory)
    }
}
