import HearthCore

/// Errors of running micros.
public typealias RuntimeError = ModuleError<RuntimeDomain>
public enum RuntimeDomain {}

extension ModuleError where Domain == RuntimeDomain {
    /// The process could not be started at all (missing executable, no resources).
    public static var launchFailed: ErrorCode { "runtime.launch_failed" }
    /// The process exited, or never listened on `$PORT`, before answering.
    public static var startFailed: ErrorCode { "runtime.start_failed" }
    /// The node is shutting down or the instance is being removed.
    public static var stopped: ErrorCode { "runtime.stopped" }
    /// A rollback was asked of an instance without a previous version.
    public static var noPrevious: ErrorCode { "runtime.no_previous" }
    /// Another command is updating the instance.
    public static var busy: ErrorCode { "runtime.busy" }
}
