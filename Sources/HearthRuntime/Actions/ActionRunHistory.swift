import Foundation
import Synchronization

/// One delivery of a scheduled action and how it went.
public struct ActionRun: Sendable, Equatable {
    /// Why it ran: `schedule` (it came due) or `manual` (`hearth app trigger`, "Run now").
    public enum Trigger: String, Sendable { case schedule, manual }

    public let at: Date
    public let trigger: Trigger
    public let succeeded: Bool
    /// The line the run wrote to its micro's log.
    public let result: String
}

/// The newest runs of each instance's actions, in memory: what the dashboard shows next to each
/// action. The node keeps no older history (the runs' lines stay in the micros' logs, and the
/// registry keeps when each last ran on schedule), so a restart of the node starts it afresh.
public final class ActionRunHistory: Sendable {
    public static let kept = 10
    private let runs = Mutex<[String: [ActionRun]]>([:])

    public init() {}

    func record(_ run: ActionRun, instance: String, action: String) {
        runs.withLock { runs in
            var list = runs[Self.key(instance, action), default: []]
            list.append(run)
            runs[Self.key(instance, action)] = Array(list.suffix(Self.kept))
        }
    }

    /// The newest runs of one action, newest first.
    public func runs(instance: String, action: String) -> [ActionRun] {
        runs.withLock { $0[Self.key(instance, action)] ?? [] }.reversed()
    }

    /// Forgets an instance's runs (when it is removed).
    public func forget(instance: String) {
        runs.withLock { runs in runs = runs.filter { !$0.key.hasPrefix(instance + "/") } }
    }

    private static func key(_ instance: String, _ action: String) -> String { instance + "/" + action }
}
