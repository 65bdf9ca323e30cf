import Foundation
import HearthCore

/// The life of one micro: started by its first request, stopped when idle, restarted with
/// growing delays after crashes. Requests that arrive while it starts wait for it.
actor MicroRunner {
    enum Phase {
        case stopped
        /// A start (after an optional backoff delay) in progress; `generation` tells stale results apart.
        case starting(Task<MicroProcess, any Error>, generation: Int)
        case running(MicroProcess)
        /// The last start failed; requests before `retryAt` get the same failure at once.
        case failed(RuntimeError, retryAt: ContinuousClock.Instant)
    }

    let spec: MicroSpec
    let launcher: any Launcher
    let settings: SupervisorSettings
    let log: MicroLog
    /// Counts the micro's wakes and keeps its instance's last failure.
    let meter: InstanceMeter
    /// Told the endpoint of each process of this micro that ends.
    let ended: @Sendable (MicroEndpoint) -> Void
    private(set) var phase = Phase.stopped
    private var generation = 0
    private var inFlight = 0
    private var lastActive = ContinuousClock.now
    private var startedAt = ContinuousClock.now
    /// Crashes and failed starts since the micro last ran for a while.
    private var failures = 0
    /// When a restart after a crash is due, while one is scheduled.
    private var restartAt: ContinuousClock.Instant?
    /// Requests wait for a restart due within this long; later ones get a 502 at once.
    static let longestWaitForRestart = Duration.seconds(5)

    init(
        spec: MicroSpec, launcher: any Launcher, settings: SupervisorSettings, meter: InstanceMeter,
        ended: @escaping @Sendable (MicroEndpoint) -> Void = { _ in }
    ) {
        self.spec = spec
        self.launcher = launcher
        self.settings = settings
        self.meter = meter
        self.ended = ended
        log = MicroLog(file: spec.log)
    }

    /// Where the running micro answers, starting it if needed. Pair every success with `release()`.
    func acquire() async throws(RuntimeError) -> MicroEndpoint {
        inFlight += 1
        lastActive = .now
        do {
            return try await endpoint()
        } catch {
            inFlight -= 1
            throw error
        }
    }

    func release() {
        inFlight -= 1
        lastActive = .now
    }

    private func endpoint() async throws(RuntimeError) -> MicroEndpoint {
        switch phase {
        case .running(let process):
            // Ended, its exit not handled yet (a request right after a crash): restart it now
            // rather than hand out a port nobody listens on, which the proxy's client would
            // keep trying until its connect timeout.
            guard let status = process.endStatus else { return process.endpoint }
            exited(generation: generation, status: status)
            guard case .starting(let task, _) = phase else { throw startFailure("ended") }
            return try await Self.outcome(of: task).endpoint
        case .starting(let task, _):
            if let restartAt, restartAt - .now > Self.longestWaitForRestart {
                let wait = Int((restartAt - .now).components.seconds) + 1
                throw startFailure("crashed \(failures) times in a row; it restarts in \(wait) s")
            }
            return try await Self.outcome(of: task).endpoint
        case .failed(let error, let retryAt) where ContinuousClock.now < retryAt:
            throw error
        case .failed, .stopped:
            return try await Self.outcome(of: start(after: .zero)).endpoint
        }
    }

    private static func outcome(of task: Task<MicroProcess, any Error>) async throws(RuntimeError) -> MicroProcess {
        do {
            return try await task.value
        } catch let error as RuntimeError {
            throw error
        } catch {
            throw RuntimeError(RuntimeError.stopped, "The micro was stopped", cause: error)
        }
    }

    @discardableResult
    private func start(after delay: Duration) -> Task<MicroProcess, any Error> {
        restartAt = delay > .zero ? .now + delay : nil
        generation += 1
        let generation = generation
        let task = Task { () async throws -> MicroProcess in
            if delay > .zero { try await Task.sleep(for: delay) }
            return try await self.launch(generation: generation)
        }
        phase = .starting(task, generation: generation)
        return task
    }

    private func launch(generation: Int) async throws -> MicroProcess {
        let network = try await launcher.network(for: spec)
        let port = try network.freePort()
        var environment = spec.environment
        for name in spec.portVariables { environment[name] = String(port) }
        environment[OrphanReaper.marker] = spec.key
        let request = LaunchRequest(
            arguments: spec.arguments, environment: environment, workingDirectory: spec.workingDirectory,
            instanceDirectory: spec.instanceDirectory, output: -1, instanceID: spec.instanceID, micro: spec.micro,
            hostPaths: spec.hostPaths, codeDirectory: spec.codeDirectory)
        let clock = ContinuousClock()
        let began = clock.now
        let process: MicroProcess
        let endpoint = MicroEndpoint(port: port, network: network)
        do {
            process = try MicroProcess(launcher: launcher, request: request, endpoint: endpoint, log: log) { [ended] status in
                ended(endpoint)
                Task { await self.exited(generation: generation, status: status) }
            }
        } catch {
            log.note("cannot start: \(error.message)")
            throw settle(generation: generation, failure: error)
        }
        OrphanReaper.record(process.pid, for: spec)
        log.note("starting pid \(process.pid) on port \(port): \(spec.arguments.joined(separator: " "))")
        while !network.isListening(port: port) {
            if process.hasExited {
                throw settle(generation: generation, failure: startFailure("exited before listening on $PORT (\(port))"))
            }
            if clock.now - began > settings.startTimeout {
                await process.stop(grace: settings.stopGrace)
                throw settle(
                    generation: generation,
                    failure: startFailure(
                        "did not listen on $PORT (\(port)) within \(settings.startTimeout); a micro must serve HTTP on 0.0.0.0:$PORT"
                    ))
            }
            try? await Task.sleep(for: Self.probePause(after: clock.now - began))
        }
        guard case .starting(_, generation) = phase else {
            await process.stop(grace: settings.stopGrace)
            throw RuntimeError(RuntimeError.stopped, "The micro was stopped while starting")
        }
        log.note("ready in \((clock.now - began).milliseconds) ms")
        meter.countWake()
        startedAt = .now
        restartAt = nil
        phase = .running(process)
        return process
    }

    /// The wait between two probes of a starting micro's port: 1 ms during its first second, so
    /// the request that woke it waits at most about a millisecond more than the start itself (a
    /// refused connect on loopback costs microseconds), then 10 ms for slow starters.
    static func probePause(after elapsed: Duration) -> Duration {
        elapsed < .seconds(1) ? .milliseconds(1) : .milliseconds(10)
    }

    private func startFailure(_ reason: String) -> RuntimeError {
        RuntimeError(RuntimeError.startFailed, "The micro '\(spec.micro)' \(reason)")
    }

    /// Records a failed start: later requests get it at once until the backoff has passed.
    private func settle(generation: Int, failure: RuntimeError) -> RuntimeError {
        guard case .starting(_, generation) = phase else { return failure }
        failures += 1
        let delay = backoff()
        log.note("\(failure.message); next try in \(delay) at the earliest")
        meter.noteError(failure.message)
        phase = .failed(failure, retryAt: .now + delay)
        return failure
    }

    private func exited(generation: Int, status: Int32) {
        guard case .running(let process) = phase, self.generation == generation else { return }
        if ContinuousClock.now - startedAt > .seconds(60) { failures = 0 }
        failures += 1
        let delay = backoff()
        log.note("pid \(process.pid) \(MicroProcess.describe(status)); restarting in \(delay)")
        meter.noteError("The micro '\(spec.micro)' \(MicroProcess.describe(status))")
        start(after: delay)
    }

    private func backoff() -> Duration {
        min(.seconds(1 << min(failures - 1, 10)), settings.maxBackoff)
    }

    /// Stops the micro if nothing used it for the idle timeout; `true` if it stopped.
    func stopIfIdle() async -> Bool {
        guard case .running = phase, inFlight == 0, ContinuousClock.now - lastActive >= settings.idleTimeout else { return false }
        log.note("stopping after \(settings.idleTimeout) without requests")
        await stop()
        return true
    }

    /// Stops the micro now (restart, removal, shutdown); a start in progress is abandoned.
    func stop() async {
        let current = phase
        generation += 1
        phase = .stopped
        failures = 0
        switch current {
        case .running(let process):
            await process.stop(grace: settings.stopGrace)
            OrphanReaper.forget(spec)
            log.note("stopped pid \(process.pid)")
        case .starting(let task, _):
            task.cancel()
        case .stopped, .failed:
            break
        }
    }

    /// Whether the process serving `port` is still the running one and has not ended.
    func isServing(port: Int) -> Bool {
        guard case .running(let process) = phase else { return false }
        return process.endpoint.port == port && process.endStatus == nil
    }

    var isRunning: Bool {
        if case .running = phase { return true }
        return false
    }
}
