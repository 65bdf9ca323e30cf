import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One started micro process: its output pumped into the micro's log by a reader thread,
/// its exit collected by a waiter thread and reported once.
final class MicroProcess: Sendable {
    let pid: Int32
    let endpoint: MicroEndpoint
    private let launcher: any Launcher
    private let request: LaunchRequest
    private let exitStatus = Mutex<Int32?>(nil)

    /// Starts `request` (its `output` is replaced by a pipe into `log`) and calls `onExit`
    /// with the wait status when the process ends.
    init(
        launcher: any Launcher, request: LaunchRequest, endpoint: MicroEndpoint, log: MicroLog,
        onExit: @escaping @Sendable (Int32) -> Void
    ) throws(RuntimeError) {
        var fds: [Int32] = [-1, -1]
        guard glibcPipe2(&fds, O_CLOEXEC) == 0 else {
            throw RuntimeError(RuntimeError.launchFailed, "Cannot create an output pipe: \(String(cString: strerror(errno)))")
        }
        var request = request
        request.output = fds[1]
        let launched: LaunchedProcess
        do {
            launched = try launcher.launch(request)
        } catch {
            close(fds[0])
            close(fds[1])
            throw error
        }
        close(fds[1])
        let pid = launched.pid
        if launched.output != nil { close(fds[0]) }
        self.pid = pid
        self.launcher = launcher
        self.request = request
        self.endpoint = endpoint
        let reader = launched.output ?? fds[0]
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            var budget = OutputBudget()
            var throttled = false
            while true {
                let count = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
                if count > 0 {
                    log.append(output: buffer[..<count])
                    if let pause = budget.spend(count) {
                        if !throttled { log.note("output throttled: more than 1 MiB/s of logs; the micro's writes now wait") }
                        throttled = true
                        Thread.sleep(forTimeInterval: Double(pause.milliseconds) / 1000)
                    } else if throttled, count < buffer.count {
                        throttled = false
                    }
                } else if count < 0, errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            close(reader)
        }
        Thread.detachNewThread { [self] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            exitStatus.withLock { $0 = status }
            onExit(status)
        }
    }

    var hasExited: Bool { exitStatus.withLock { $0 != nil } }

    /// The wait status once the process has ended, also before the waiter thread has reaped it:
    /// `waitid` with `WNOWAIT` reads a zombie's status and leaves it to the waiter.
    var endStatus: Int32? {
        if let status = exitStatus.withLock({ $0 }) { return status }
        var info = siginfo_t()
        guard waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0, info._sifields._sigchld.si_pid == pid else {
            return exitStatus.withLock { $0 }
        }
        let status = info._sifields._sigchld.si_status
        return Int(info.si_code) == Int(CLD_EXITED) ? (status & 0xFF) << 8 : status & 0x7F
    }

    /// Signals all its processes (its process group, or its sandbox's), so a shell's children stop too.
    func signal(_ signal: Int32) {
        if !hasExited { launcher.signal(signal, pid: pid, of: request) }
    }

    /// Asks the group to stop, and kills it if it is still there after `grace`.
    func stop(grace: Duration) async {
        signal(SIGTERM)
        let deadline = ContinuousClock.now + grace
        while !hasExited, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if !hasExited { signal(SIGKILL) }
        // The group may outlive its leader (a shell's children); make sure none is left.
        launcher.signal(SIGKILL, pid: pid, of: request)
    }

    /// A wait status as words: "exited with status 1", "was killed by signal 9".
    static func describe(_ status: Int32) -> String {
        let signal = status & 0x7F
        return signal == 0 ? "exited with status \((status >> 8) & 0xFF)" : "was killed by signal \(signal)"
    }
}
