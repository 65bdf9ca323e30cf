import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a micro as a plain child process in its own process group (no isolation), with
/// stdin from `/dev/null`, stdout and stderr to the request's descriptor, no other descriptor
/// of the node's, and default signal handling restored (the node ignores `SIGPIPE`; its
/// children must not).
public struct ProcessLauncher: Launcher {
    public init() {}

    public var isolates: Bool { false }

    public func network(for spec: MicroSpec) -> any MicroNetwork { HostNetwork.shared }

    public func launch(_ request: LaunchRequest) throws(RuntimeError) -> LaunchedProcess {
        LaunchedProcess(
            pid: try Self.spawn(
                request.arguments, environment: request.environment, workingDirectory: request.workingDirectory.path, output: request.output
            ))
    }

    /// Starts `arguments` in a process group of its own, stdin from `/dev/null`, stdout and
    /// stderr to `output`, no other descriptor of the node's (but `extra`, as descriptor 3),
    /// default signal handling.
    static func spawn(
        _ arguments: [String], environment: [String: String], workingDirectory: String, output: Int32, passing extra: Int32? = nil
    ) throws(RuntimeError) -> Int32 {
        guard let executable = arguments.first else {
            throw RuntimeError(RuntimeError.launchFailed, "No command to run")
        }
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        if let extra { posix_spawn_file_actions_adddup2(&actions, extra, 3) }
        // Nothing else of the node's: its listening socket, upstream connections, other micros' logs.
        glibcAddCloseFrom(&actions, extra == nil ? 3 : 4)
        glibcAddChdir(&actions, workingDirectory)

        var defaults = sigset_t()
        sigfillset(&defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let path = executable.contains("/") ? executable : Self.resolve(executable, in: environment["PATH"])
        guard let path else {
            throw RuntimeError(RuntimeError.launchFailed, "'\(executable)' was not found in PATH")
        }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw RuntimeError(
                RuntimeError.launchFailed, "Cannot start '\(executable)': \(String(cString: strerror(status)))")
        }
        return pid
    }

    /// The first executable named `name` in a `PATH` value.
    static func resolve(_ name: String, in path: String?) -> String? {
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}

// glibc functions that Swift's Glibc module hides behind _GNU_SOURCE.
@discardableResult @_silgen_name("posix_spawn_file_actions_addchdir_np")
private func glibcAddChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>) -> Int32

@discardableResult @_silgen_name("posix_spawn_file_actions_addclosefrom_np")  // glibc 2.34
private func glibcAddCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32

@_silgen_name("pipe2")
func glibcPipe2(_ descriptors: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
