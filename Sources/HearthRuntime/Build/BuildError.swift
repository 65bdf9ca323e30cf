import HearthCore

/// Errors of the build pipeline. Messages are written for the app's developer: they name the
/// micro, and for a failed command the command and the last lines of its output.
public typealias BuildError = ModuleError<BuildDomain>
public enum BuildDomain {}

extension ModuleError where Domain == BuildDomain {
    /// The app's files are unusable: a missing `src`, a `serve` outside the app, an unreadable manifest.
    public static var source: ErrorCode { "build.source" }
    /// A build command or a dependency install exited with an error or ran out of time.
    public static var commandFailed: ErrorCode { "build.command_failed" }
    /// The app needs something this node cannot provide (such as a Python older than 3.8).
    public static var unsupported: ErrorCode { "build.unsupported" }
    /// A tool the engine needs (python3 with venv, node, npm) is not installed.
    public static var toolMissing: ErrorCode { "build.tool_missing" }
    /// The node could not write the build's files (disk full, permissions); the cause is logged.
    public static var storage: ErrorCode { "build.storage" }

    static func storage(_ message: String, _ cause: (any Error)? = nil) -> BuildError {
        BuildError(storage, message, cause: cause)
    }
}

/// Runs `body`, turning any error it throws into a `build.storage` error with `message`.
func withStorageErrors<T>(_ message: @autoclosure () -> String, _ body: () throws -> T) throws(BuildError) -> T {
    do {
        return try body()
    } catch {
        throw BuildError.storage(message(), error)
    }
}
