import Foundation
import HearthCore
import HearthRegistry
import Logging

/// Sends `POST /__space/v0/actions` to a running micro; implemented over HTTP by the node.
public protocol ActionDelivery: Sendable {
    /// Delivers `body` to the micro at `endpoint`; returns the status code and the start of the response body.
    func deliver(_ body: String, to endpoint: MicroEndpoint) async throws -> (status: Int, body: String)
}

/// Runs the scheduled actions of every ready instance (spec §5.8): each action when its
/// schedule comes due, straight to its micro (started if asleep). A run missed while the node
/// was down runs once when it is back; runs and results go to the micro's log.
public final class ActionScheduler: Sendable {
    let catalog: InstanceCatalog
    let supervisor: Supervisor
    let registry: Registry
    let delivery: any ActionDelivery
    let clock: WallClock
    let logger: Logger
    /// The newest runs of each action and their results.
    public let history = ActionRunHistory()

    public init(
        catalog: InstanceCatalog, supervisor: Supervisor, registry: Registry, delivery: any ActionDelivery, clock: WallClock = .system,
        logger: Logger
    ) {
        self.catalog = catalog
        self.supervisor = supervisor
        self.registry = registry
        self.delivery = delivery
        self.clock = clock
        self.logger = logger
    }

    /// Checks for due actions every `interval` until cancelled.
    public func run(every interval: Duration = .seconds(5)) async {
        while !Task.isCancelled {
            await runDue()
            try? await Task.sleep(for: interval)
        }
    }

    /// Runs every action that is due now, each at most once; returns how many ran.
    @discardableResult
    public func runDue() async -> Int {
        let now = Date(timeIntervalSince1970: clock.now())
        var ran = 0
        do {
            for instance in try await catalog.allInstances() {
                let lastRuns = try await registry.actionRuns(instance: instance.info.id)
                for micro in instance.micros {
                    for action in micro.micro.actions {
                        let since = lastRuns[action.id].map { Date(timeIntervalSince1970: $0) } ?? instance.info.createdAt
                        guard let due = action.schedule.nextRun(after: since, anchor: instance.info.createdAt), due <= now else { continue }
                        try await registry.recordActionRun(instance: instance.info.id, action: action.id, at: now.timeIntervalSince1970)
                        await trigger(action, of: micro, in: instance, by: .schedule)
                        ran += 1
                    }
                }
            }
        } catch {
            logger.error("Scheduled actions could not be checked", metadata: ["error": "\(error)"])
        }
        return ran
    }

    /// Delivers one action now, whatever its schedule (also `hearth app trigger`), and returns
    /// the line it wrote to the micro's log; the run goes into `history`.
    @discardableResult
    public func trigger(
        _ action: ScheduledAction, of micro: LoadedMicro, in instance: LoadedInstance, by trigger: ActionRun.Trigger = .manual
    ) async -> String {
        let at = Date(timeIntervalSince1970: clock.now())
        guard case .process(let spec) = micro.target else {
            logger.warning("Scheduled action of a static micro skipped", metadata: ["action": "\(action.id)"])
            let line = "action \(action.id) skipped: \(micro.micro.name) is a static micro"
            history.record(
                ActionRun(at: at, trigger: trigger, succeeded: false, result: line), instance: instance.info.id, action: action.id)
            return line
        }
        let body = JSONWriter.string(["event": ["id": .string(action.id), "trigger": "schedule"]])
        let started = ContinuousClock.now
        let line: String
        var succeeded = false
        do {
            let lease = try await supervisor.acquire(spec)
            defer { Task { await lease.release() } }
            let (status, answer) = try await delivery.deliver(body, to: lease.endpoint)
            succeeded = (200..<300).contains(status)
            let outcome = succeeded ? "succeeded" : "failed"
            line = "action \(action.id) \(outcome): \(status) in \((ContinuousClock.now - started).milliseconds) ms: \(answer)"
        } catch let error as RuntimeError {
            line = "action \(action.id) failed: \(error.message)"
        } catch {
            line = "action \(action.id) failed: \(error)"
        }
        supervisor.note(spec, line)
        history.record(
            ActionRun(at: at, trigger: trigger, succeeded: succeeded, result: line), instance: instance.info.id, action: action.id)
        return line
    }

    /// Finds the micro declaring an action.
    public static func find(_ actionID: String, in instance: LoadedInstance) -> (ScheduledAction, LoadedMicro)? {
        for micro in instance.micros {
            if let action = micro.micro.actions.first(where: { $0.id == actionID }) { return (action, micro) }
        }
        return nil
    }
}
