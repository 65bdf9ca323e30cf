import Foundation
import HTTPTypes
import HearthBase
import HearthCore
import HearthHTTP
import HearthRegistry
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A node on a temporary data directory, driven in-process through Hummingbird's test client.
public struct TestNode: Sendable {
    public let root: URL
    public let services: NodeServices

    /// Runs `body` with a node whose data lives in a temporary directory.
    public static func with<T>(
        clock: WallClock = .system, limits: BaseLimits = BaseLimits(), driveLimits: DriveLimits = DriveLimits(),
        _ body: (TestNode) async throws -> T
    ) async throws -> T {
        try await withTemporaryDirectory { root in
            let layout = DataLayout(root: root)
            let registry = try Registry(layout: layout, clock: clock)
            let services = NodeServices(
                registry: registry,
                collections: OpenCollections(
                    layout: layout, baseLimits: limits, driveLimits: driveLimits, registry: registry, clock: clock))
            return try await body(TestNode(root: root, services: services))
        }
    }

    /// Creates a collection and returns it with its first data key.
    public func createCollection(_ name: String = "test") async throws -> (CollectionInfo, DataKey) {
        try await services.registry.createCollection(name: name)
    }

    /// Runs `body` with a client of this node's router.
    public func withClient<T: Sendable>(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let application = Application(router: NodeRouter.build(services))
        return try await application.test(.router) { client in try await body(client) }
    }
}

/// One request of an HTTP scenario table and what must come back.
public struct Scenario: Sendable, CustomStringConvertible {
    public var name: String
    public var method: HTTPRequest.Method
    /// The path after `/v1/{projectId}/{base}`, e.g. `/items/a`.
    public var path: String
    public var body: String?
    public var status: Int
    public var mustContain: [String]
    public var mustNotContain: [String]

    public init(
        _ name: String, _ method: HTTPRequest.Method, _ path: String, body: String? = nil, status: Int,
        mustContain: [String] = [], mustNotContain: [String] = []
    ) {
        self.name = name
        self.method = method
        self.path = path
        self.body = body
        self.status = status
        self.mustContain = mustContain
        self.mustNotContain = mustNotContain
    }

    public var description: String { name }
}

/// What a scenario's request returned.
public struct ScenarioResult: Sendable {
    public var status: Int
    public var contentType: String?
    public var body: String
    public var headers: HTTPFields
}

extension TestClientProtocol {
    /// Sends a Base (or Drive) API request for `key`'s collection to `/v1/{project}/{base}{path}`
    /// and returns status, content type, body and headers.
    public func base(
        _ method: HTTPRequest.Method, _ path: String, key: DataKey?, base: String = "test", body: String? = nil,
        projectID: String? = nil, headers: HTTPFields = [:]
    ) async throws -> ScenarioResult {
        var headers = headers
        if let key { headers[HTTPField.Name("X-API-Key")!] = key.value }
        let project = projectID ?? key?.projectID ?? "unknown"
        return try await execute(
            uri: "/v1/\(project)/\(base)\(path)", method: method, headers: headers,
            body: body.map { ByteBuffer(string: $0) }
        ) { response in
            ScenarioResult(
                status: response.status.code, contentType: response.headers[.contentType],
                body: String(buffer: response.body), headers: response.headers)
        }
    }

    /// Sends a scenario's request.
    public func run(_ scenario: Scenario, key: DataKey) async throws -> ScenarioResult {
        try await base(scenario.method, scenario.path, key: key, body: scenario.body)
    }
}
