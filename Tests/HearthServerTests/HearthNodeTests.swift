import Foundation
import HearthCore
import HearthServer
import HearthTesting
import Logging
import Synchronization
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The composed node on a real socket: it binds, answers, keeps data across restarts.
@Suite struct HearthNodeTests {
    func withRunningNode(_ root: URL, _ body: @escaping @Sendable (URL) async throws -> Void) async throws {
        let node = try HearthNode(
            configuration: NodeConfiguration(dataDirectory: root, port: 0), logger: Logger(label: "test"))
        let port = AsyncStream<Int>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await node.run { port.continuation.yield($0) } }
            var iterator = port.stream.makeAsyncIterator()
            let bound = await iterator.next()!
            try await body(URL(string: "http://127.0.0.1:\(bound)")!)
            group.cancelAll()
        }
    }

    func send(_ url: URL, method: String = "GET", key: String? = nil, body: String? = nil) async throws -> (Int, String) {
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let key { request.setValue(key, forHTTPHeaderField: "X-API-Key") }
        request.httpBody = body.map { Data($0.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }

    @Test func servesHealthAndBaseOverASocketAndKeepsDataAcrossRestarts() async throws {
        try await withTemporaryDirectory { root in
            let key = Mutex<DataKey?>(nil)
            try await withRunningNode(root) { url in
                #expect(try await send(url.appendingPathComponent("healthz")) == (200, #"{"status":"ok"}"#))
                let node = try HearthNode(configuration: NodeConfiguration(dataDirectory: root), logger: Logger(label: "cli"))
                let (collection, dataKey) = try await node.services.registry.createCollection(name: "notes")
                key.withLock { $0 = dataKey }
                let items = url.appendingPathComponent("v1/\(collection.id)/notes/items")
                let put = try await send(items, method: "PUT", key: dataKey.value, body: #"{"items":[{"key":"a","v":1}]}"#)
                #expect(put.0 == 207)
            }
            try await withRunningNode(root) { url in
                let dataKey = key.withLock { $0! }
                let get = try await send(url.appendingPathComponent("v1/\(dataKey.projectID)/notes/items/a"), key: dataKey.value)
                #expect(get == (200, #"{"key":"a","v":1}"#))
            }
        }
    }

    @Test func refusesAnUnusableDataDirectoryWithAClearError() async throws {
        try await withTemporaryDirectory { root in
            let file = root.appendingPathComponent("not-a-directory")
            try Data("x".utf8).write(to: file)
            #expect(throws: (any Error).self) {
                try HearthNode(configuration: NodeConfiguration(dataDirectory: file), logger: Logger(label: "test"))
            }
        }
    }
}
