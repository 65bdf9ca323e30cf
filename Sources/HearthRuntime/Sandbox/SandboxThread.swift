import CHearthSandbox
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The one thread that changes network namespaces and starts sandboxed processes. A thread of
/// its own because namespace switches apply to the calling thread only, and because a process
/// started with bubblewrap's `--die-with-parent` dies when the thread that started it ends
/// (the pool threads of Swift's executors come and go).
final class SandboxThread: Sendable {
    static let shared = SandboxThread()

    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let wakeup = DispatchSemaphore(value: 0)

    private init() {
        let thread = Thread { [self] in loop() }
        thread.name = "hearth-sandbox"
        thread.start()
    }

    /// Runs `job` on the sandbox thread and returns its result; the caller waits.
    func run<T: Sendable>(_ job: @escaping @Sendable () throws(RuntimeError) -> T) throws(RuntimeError) -> T {
        let outcome = Mutex<Result<T, RuntimeError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        jobs.withLock {
            $0.append {
                let result: Result<T, RuntimeError>
                do throws(RuntimeError) { result = .success(try job()) } catch { result = .failure(error) }
                outcome.withLock { $0 = result }
                done.signal()
            }
        }
        wakeup.signal()
        done.wait()
        return try outcome.withLock { $0! }.get()
    }

    /// Runs `job` with the sandbox thread inside the network namespace `namespace`.
    func run<T: Sendable>(
        in namespace: Int32, _ job: @escaping @Sendable () throws(RuntimeError) -> T
    ) throws(RuntimeError) -> T {
        try run { () throws(RuntimeError) -> T in
            let entered = hearth_netns_enter(namespace)
            guard entered == 0 else {
                throw RuntimeError(RuntimeError.launchFailed, "Cannot enter the network namespace: \(errorText(entered))")
            }
            defer {
                // Leaving cannot fail for root returning to a namespace it holds; if it ever did,
                // every later job would run in the wrong network, so stop here.
                precondition(hearth_netns_leave() == 0, "The sandbox thread cannot return to the node's network namespace")
            }
            return try job()
        }
    }

    private func loop() {
        while true {
            wakeup.wait()
            let batch = jobs.withLock { jobs in
                defer { jobs.removeAll() }
                return jobs
            }
            for job in batch { job() }
        }
    }
}

/// The message of a negative errno result from the C helpers.
func errorText(_ result: Int32) -> String {
    String(cString: strerror(-result))
}
