import HearthRuntime
import Logging
import ServiceLifecycle

/// The supervisor's idle sweep as a service: stops micros nobody uses, and all micros when
/// the node shuts down.
struct IdleSweepService: Service {
    let supervisor: Supervisor
    let logger: Logger

    func run() async throws {
        let interval = min(supervisor.settings.idleTimeout / 4, .seconds(5))
        await cancelWhenGracefulShutdown {
            await supervisor.sweepIdle(every: max(interval, .milliseconds(100)), logger: logger)
        }
        await supervisor.stopAll()
    }
}

/// The scheduled-action loop as a service.
struct ActionSchedulerService: Service {
    let scheduler: ActionScheduler

    func run() async throws {
        await cancelWhenGracefulShutdown { await scheduler.run() }
    }
}

/// The sandbox's limit checks as a service: a fork bomb stopped, a memory kill noted in the
/// micro's log, within a quarter second.
struct LimitWatchService: Service {
    let supervisor: Supervisor
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await supervisor.watchLimits(every: .milliseconds(250), logger: logger)
        }
    }
}
