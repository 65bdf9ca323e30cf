import Foundation
import Logging
import Synchronization

/// Runs the micros of every instance on the node: one `MicroRunner` per micro, created on
/// first use, and an idle sweep that stops micros nobody uses (scale to zero).
public final class Supervisor: Sendable {
    public let launcher: any Launcher
    public let settings: SupervisorSettings
    /// Where runners count wakes and note failures.
    public let meters: MeterBook
    private let runners = Mutex<[String: MicroRunner]>([:])
    private let endObservers = Mutex<[@Sendable (MicroEndpoint) -> Void]>([])

    public init(
        launcher: any Launcher = ProcessLauncher(), settings: SupervisorSettings = SupervisorSettings(), meters: MeterBook = MeterBook()
    ) {
        self.launcher = launcher
        self.settings = settings
        self.meters = meters
    }

    /// Where a running micro answers, for one request; call `release` on the lease when done.
    public func acquire(_ spec: MicroSpec) async throws(RuntimeError) -> MicroLease {
        let runner = runner(for: spec)
        let endpoint = try await runner.acquire()
        return MicroLease(endpoint: endpoint, runner: runner)
    }

    /// Calls `observer` (on any thread) with the endpoint of every micro process that ends,
    /// stopped or crashed, so that connections to it can be dropped.
    public func onMicroEnded(_ observer: @escaping @Sendable (MicroEndpoint) -> Void) {
        endObservers.withLock { $0.append(observer) }
    }

    /// Kills micros left running by a node that was killed without stopping them; call it
    /// before serving. Returns how many there were.
    @discardableResult
    public static func reapOrphans(dataRoot: URL) -> Int {
        OrphanReaper.reap(dataRoot: dataRoot)
    }

    /// The newest lines of a micro's log, for error pages.
    public func recentLog(_ spec: MicroSpec, lines: Int = 20) -> [String] {
        runner(for: spec).log.recentLines(lines)
    }

    /// Writes a line of the node's own into a micro's log (scheduled action results).
    public func note(_ spec: MicroSpec, _ message: String) {
        runner(for: spec).log.note(message)
    }

    /// Stops every micro of an instance; the next request starts them with fresh settings.
    public func stop(instance: String) async {
        let stopping = runners.withLock { runners in
            let matching = runners.filter { $0.key.hasPrefix(instance + "/") }
            for key in matching.keys { runners[key] = nil }
            return Array(matching.values)
        }
        for runner in stopping {
            await runner.stop()
            runner.log.close()
        }
    }

    /// Stops everything (node shutdown) and gives up the instances' sandboxes.
    public func stopAll() async {
        let all = runners.withLock { runners in
            defer { runners.removeAll() }
            return Array(runners.values)
        }
        await withTaskGroup(of: Void.self) { group in
            for runner in all { group.addTask { await runner.stop() } }
        }
        await launcher.close()
    }

    /// Applies the launcher's limit checks every `interval` until cancelled, noting in the
    /// micros' logs what happened (a process killed for memory, a fork bomb stopped).
    public func watchLimits(every interval: Duration, logger: Logger) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            for event in launcher.checkLimits() {
                logger.warning(
                    "Instance limit reached",
                    metadata: ["instance": "\(event.instanceID)", "micro": "\(event.micro ?? "-")", "what": "\(event.message)"])
                let affected = runners.withLock { runners in
                    runners.values.filter { $0.spec.instanceID == event.instanceID && (event.micro == nil || $0.spec.micro == event.micro) }
                }
                for runner in affected { runner.log.note(event.message) }
            }
        }
    }

    /// The micros of an instance that are running now.
    public func runningMicros(instance: String) async -> [String] {
        let candidates = runners.withLock { $0.filter { $0.key.hasPrefix(instance + "/") } }
        var running: [String] = []
        for (_, runner) in candidates where await runner.isRunning { running.append(runner.spec.micro) }
        return running.sorted()
    }

    /// Stops idle micros every `interval` until cancelled; stops all micros on the way out.
    public func sweepIdle(every interval: Duration, logger: Logger) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            for runner in runners.withLock({ Array($0.values) }) where await runner.stopIfIdle() {
                logger.info("Stopped idle micro", metadata: ["micro": "\(runner.spec.key)"])
            }
        }
        await stopAll()
    }

    /// The runner of a micro, if one exists (tests drive its idle check directly).
    func runnerForTesting(_ spec: MicroSpec) -> MicroRunner? {
        runners.withLock { $0[spec.key] }
    }

    private func runner(for spec: MicroSpec) -> MicroRunner {
        runners.withLock { runners in
            if let existing = runners[spec.key], existing.spec == spec { return existing }
            let runner = MicroRunner(spec: spec, launcher: launcher, settings: settings, meter: meters.meter(spec.instanceID)) {
                [weak self] endpoint in
                for observer in self?.endObservers.withLock({ $0 }) ?? [] { observer(endpoint) }
            }
            if let replaced = runners[spec.key] { Task { await replaced.stop() } }
            runners[spec.key] = runner
            return runner
        }
    }
}

/// One request's hold on a running micro: it is not stopped as idle while leased.
public struct MicroLease: Sendable {
    public let endpoint: MicroEndpoint
    let runner: MicroRunner

    /// The micro's port (in `endpoint.network`).
    public var port: Int { endpoint.port }

    public func release() async {
        await runner.release()
    }

    /// Whether the micro process behind this lease is still running (a failed request tells
    /// a dropped keep-alive connection from a crash by it).
    public func microIsAlive() async -> Bool {
        await runner.isServing(port: port)
    }
}
