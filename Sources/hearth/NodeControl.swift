import Foundation
import HearthCore
import HearthHTTP
import HearthRuntime
import NIOHTTP1

/// A failed call to the running node's control API.
typealias ControlError = ModuleError<NodeControl>

/// The local CLI's line to a running node (its control API, found through `run/node.json`).
struct NodeControl {
    let info: NodeRunInfo

    /// `nil` when no node is running on the data directory.
    init?(layout: DataLayout) {
        guard let info = NodeRunInfo.read(in: layout) else { return nil }
        self.info = info
    }

    /// Stops an instance's micros; the next request starts them again with fresh settings.
    func restart(_ instance: String) async throws {
        _ = try await call(.POST, "instances/\(instance)/restart")
    }

    /// After a change on disk (an update, a rollback, new settings): restarts the instance's
    /// micros on the node running on `layout`, if one runs. Warns when a running node could not
    /// be told, as it would go on serving the old state. Returns whether it restarted them.
    static func restartAfterChange(_ instance: String, layout: DataLayout) async -> Bool {
        guard let node = NodeControl(layout: layout) else { return false }
        do {
            try await node.restart(instance)
            return true
        } catch {
            FileHandle.standardError.write(
                Data("warning: the running node was not told (\(error)); run `hearth app restart \(instance)`\n".utf8))
            return false
        }
    }

    /// Stops an instance's micros and closes its data, before it is removed.
    func stop(_ instance: String) async throws {
        _ = try await call(.POST, "instances/\(instance)/stop")
    }

    /// The micros of an instance that are running, and whether they run sandboxed.
    func status(_ instance: String) async throws -> InstanceStatus {
        try decode(InstanceStatus.self, try await call(.GET, "instances/\(instance)/status"))
    }

    struct InstanceStatus: Decodable {
        let running: [String]
        /// `sandboxed` or `unisolated`.
        let isolation: String
    }

    /// Runs a scheduled action now; returns the node's one-line account of the result.
    func trigger(_ instance: String, action: String) async throws -> String {
        let body = try await call(.POST, "instances/\(instance)/actions/\(action)")
        let result = try JSONDecoder().decode([String: String].self, from: Data(body.utf8))
        return result["result"] ?? body
    }

    /// An instance's meters as the node counts them now.
    func stats(_ instance: String) async throws -> InstanceStats {
        try decode(InstanceStats.self, try await call(.GET, "instances/\(instance)/stats"))
    }

    /// Sets an instance's limits (after clearing earlier ones if `reset`); the node stops its
    /// micros so the next request starts them under the new limits. Returns the limits now.
    func setLimits(_ instance: String, _ overrides: InstanceLimitOverrides, reset: Bool) async throws -> InstanceLimits {
        let body = try JSONEncoder().encode(overrides)
        return try decode(InstanceLimits.self, try await call(.POST, "instances/\(instance)/limits?reset=\(reset)", body: body))
    }

    private func decode<T: Decodable>(_ type: T.Type, _ body: String) throws(ControlError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(body.utf8))
        } catch {
            throw ControlError("cli.node_answer", "The node's answer could not be read: \(error)")
        }
    }

    /// The control API's answer to one call; any failure is a `ControlError` that says what happened.
    private func call(_ method: HTTPMethod, _ path: String, body: Data? = nil) async throws(ControlError) -> String {
        let status: Int
        let answer: String
        do {
            (status, answer) = try await ControlClient.call(
                method, "/__hearth/control/\(path)", url: info.url, token: info.token, trustAnchor: info.trustAnchor, body: body)
        } catch {
            throw ControlError("cli.node_unreachable", "Cannot reach the node at \(info.url): \(error)")
        }
        guard status == 200 else { throw ControlError("cli.node_refused", "The node answered \(status): \(answer.prefix(300))") }
        return answer
    }

    /// Where an instance answers: on the running node's port and scheme, else the defaults.
    static func instanceURL(slug: String, node: NodeRunInfo?) -> String {
        address(of: node).origin(slug: slug)
    }

    /// The running node's address as its run file tells it, else the defaults.
    static func address(of node: NodeRunInfo?) -> NodeAddress {
        NodeAddress(domain: node?.domain ?? "localhost", port: node?.port ?? 4200, scheme: node?.scheme ?? "http")
    }
}
