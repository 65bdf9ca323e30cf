import HearthRuntime
import NIOCore
import NIOHTTP1
import Testing

@testable import HearthHTTP

/// The upstream pool against real sockets: keep-alive rules, failures, streaming.
@Suite("Upstream pool")
struct UpstreamPoolTests {
    static let timeout = TimeAmount.seconds(10)

    static func get(_ target: String = "/", method: HTTPMethod = .GET) -> UpstreamRequest {
        UpstreamRequest(method: method, target: target, headers: ["Host": "micro"], body: nil)
    }

    static func endpoint(_ micro: ScriptedMicro) -> MicroEndpoint {
        MicroEndpoint(port: micro.port, network: HostNetwork.shared)
    }

    /// Runs `body` with a pool and a micro, then shuts both down.
    static func with(
        _ micro: ScriptedMicro, _ body: (UpstreamPool, MicroEndpoint) async throws -> Void
    ) async throws {
        let pool = UpstreamPool()
        do {
            try await body(pool, endpoint(micro))
        } catch {
            await pool.shutdown()
            try await micro.stop()
            throw error
        }
        await pool.shutdown()
        try await micro.stop()
    }

    static func text(_ response: UpstreamResponse) async throws -> String {
        String(buffer: try await response.collect(upTo: .max))
    }

    /// Waits (up to 5 s) until `condition` holds: connection events arrive asynchronously.
    static func eventually(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
    }

    @Test("Sequential requests share one kept-alive connection")
    func reuse() async throws {
        let micro = try await ScriptedMicro.ok("hello")
        try await Self.with(micro) { pool, endpoint in
            for _ in 0..<3 {
                let response = try await pool.execute(Self.get(), to: endpoint, timeout: Self.timeout)
                #expect(response.head.status == .ok)
                #expect(try await Self.text(response) == "hello")
                try await Self.eventually { pool.idleConnections(to: endpoint) == 1 }
            }
            #expect(micro.stats.connections == 1)
            #expect(micro.stats.requests.count == 3)
        }
    }

    @Test(
        "A response that forbids keep-alive closes its connection",
        arguments: [
            "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nok",  // read until the micro closes
        ])
    func connectionClose(answer: String) async throws {
        let micro = try await ScriptedMicro.start { _ in
            // Only a body without a length needs the micro to close; otherwise the pool must.
            answer.contains("Content-Length") ? [.send(answer)] : [.send(answer), .close]
        }
        try await Self.with(micro) { pool, endpoint in
            for _ in 0..<2 {
                let response = try await pool.execute(Self.get(), to: endpoint, timeout: Self.timeout)
                #expect(try await Self.text(response) == "ok")
            }
            #expect(micro.stats.connections == 2)
        }
    }

    @Test("A port nobody listens on fails to connect: nothing was sent")
    func refused() async throws {
        let port = try HostNetwork.shared.freePort()
        let pool = UpstreamPool()
        defer { Task { await pool.shutdown() } }
        await #expect {
            _ = try await pool.execute(Self.get(), to: MicroEndpoint(port: port, network: HostNetwork.shared), timeout: Self.timeout)
        } throws: { ($0 as? UpstreamError)?.code == UpstreamError.connectFailed }
    }

    @Test("A large body streams with backpressure and arrives intact")
    func largeBody() async throws {
        let size = 96 * 1024 * 1024
        let micro = try await ScriptedMicro.start { _ in [.send("HTTP/1.1 200 OK\r\nContent-Length: \(size)\r\n\r\n"), .body(size)] }
        try await Self.with(micro) { pool, endpoint in
            let response = try await pool.execute(Self.get(), to: endpoint, timeout: Self.timeout)
            guard case .streaming(let first, let rest) = response.body else {
                Issue.record("a 48 MiB body must stream")
                return
            }
            // Nobody reads: the micro is held back by full buffers (the kernel's take up to 36 MiB
            // here) instead of sending it all.
            try await Task.sleep(for: .milliseconds(500))
            #expect(micro.stats.bodyBytesWritten < size / 2)
            var received = first?.readableBytes ?? 0
            var offset = 0
            var intact = true
            if let first { intact = Self.matches(first, at: &offset) }
            for try await chunk in rest {
                received += chunk.readableBytes
                intact = intact && Self.matches(chunk, at: &offset)
            }
            #expect(received == size)
            #expect(intact)
            // Read to its end, the connection goes back to the pool and serves the next request.
            try await Self.eventually { pool.idleConnections(to: endpoint) == 1 }
            #expect(pool.idleConnections(to: endpoint) == 1)
            _ = try await pool.execute(Self.get(), to: endpoint, timeout: Self.timeout)
            #expect(micro.stats.connections == 1)
        }
    }

    /// Whether `buffer` is the part of a scripted body at `offset` (which it then moves past).
    static func matches(_ buffer: ByteBuffer, at offset: inout Int) -> Bool {
        defer { offset += buffer.readableBytes }
        return buffer == ScriptedMicro.pattern.getSlice(at: offset % 26, length: buffer.readableBytes)
    }

    @Test(
        "A micro closing mid-response: the client gets what was sent, then an error",
        arguments: [1000, 1024 * 1024])
    func closedMidResponse(length: Int) async throws {
        let micro = try await ScriptedMicro.start { _ in
            [.send("HTTP/1.1 200 OK\r\nContent-Length: \(length)\r\n\r\n"), .body(100), .close]
        }
        try await Self.with(micro) { pool, endpoint in
            let response = try await pool.execute(Self.get(), to: endpoint, timeout: Self.timeout)
            guard case .streaming(let first, let rest) = response.body else {
                Issue.record("a cut body must come as a stream that fails")
                return
            }
            var received = first?.readableBytes ?? 0
            await #expect(throws: UpstreamError.self) {
                for try await chunk in rest { received += chunk.readableBytes }
            }
            #expect(received == 100)
        }
    }

    @Test("A micro that closes without answering: `closed`, which idempotent requests may retry")
    func closedBeforeAnswer() async throws {
        let micro = try await ScriptedMicro.start { _ in [.close] }
        try await Self.with(micro) { pool, endpoint in
            await #expect {
                _ = try await pool.execute(Self.get(), to: endpoint, timeout: Self.timeout)
            } throws: { ($0 as? UpstreamError)?.code == UpstreamError.closed }
        }
    }

    @Test("A micro that does not answer times out")
    func timeout() async throws {
        let micro = try await ScriptedMicro.start { _ in [] }
        try await Self.with(micro) { pool, endpoint in
            await #expect {
                _ = try await pool.execute(Self.get(), to: endpoint, timeout: .milliseconds(200))
            } throws: { ($0 as? UpstreamError)?.code == UpstreamError.timedOut }
        }
    }

    @Test("HEAD, 204 and 304 answers have no body, and keep the connection")
    func noBody() async throws {
        let micro = try await ScriptedMicro.start { request in
            if request.hasPrefix("HEAD") { return [.send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")] }
            if request.hasPrefix("GET /204") { return [.send("HTTP/1.1 204 No Content\r\n\r\n")] }
            if request.hasPrefix("GET /304") { return [.send("HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n")] }
            return [.send("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody")]
        }
        try await Self.with(micro) { pool, endpoint in
            let head = try await pool.execute(Self.get(method: .HEAD), to: endpoint, timeout: Self.timeout)
            #expect(head.head.headers["content-length"] == ["1000"])
            for request in [Self.get(method: .HEAD), Self.get("/204"), Self.get("/304")] {
                let response = try await pool.execute(request, to: endpoint, timeout: Self.timeout)
                guard case .complete(nil) = response.body else {
                    Issue.record("\(request.target) must have no body")
                    continue
                }
            }
            try await Self.eventually { pool.idleConnections(to: endpoint) == 1 }
            let last = try await pool.execute(Self.get(), to: endpoint, timeout: Self.timeout)
            #expect(try await Self.text(last) == "body")
            #expect(micro.stats.connections == 1)
        }
    }

    @Test("A request body goes with its Content-Length")
    func requestBody() async throws {
        let micro = try await ScriptedMicro.ok()
        try await Self.with(micro) { pool, endpoint in
            let request = UpstreamRequest(method: .POST, target: "/p", headers: ["Host": "micro"], body: ByteBuffer(string: "payload"))
            _ = try await Self.text(try await pool.execute(request, to: endpoint, timeout: Self.timeout))
            let seen = micro.stats.requests.first ?? ""
            #expect(seen.lowercased().contains("content-length: 7\r\n"))
            #expect(seen.hasSuffix("\r\n\r\npayload"))
        }
    }

    @Test("An idle connection the micro closed is not used again")
    func idleClosedByMicro() async throws {
        let micro = try await ScriptedMicro.start { request in
            [.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")] + (request.hasPrefix("GET /bye") ? [.close] : [])
        }
        try await Self.with(micro) { pool, endpoint in
            // The micro closes after answering, but its answer allows keep-alive.
            _ = try await Self.text(try await pool.execute(Self.get("/bye"), to: endpoint, timeout: Self.timeout))
            try await Self.eventually { micro.stats.closedConnections == 1 }
            try await Task.sleep(for: .milliseconds(50))
            let response = try await pool.execute(Self.get(), to: endpoint, timeout: Self.timeout)
            #expect(try await Self.text(response) == "ok")
            #expect(micro.stats.connections == 2)
        }
    }

    @Test("Dropping an endpoint closes its idle connections")
    func drop() async throws {
        let micro = try await ScriptedMicro.ok()
        try await Self.with(micro) { pool, endpoint in
            _ = try await Self.text(try await pool.execute(Self.get(), to: endpoint, timeout: Self.timeout))
            pool.drop(endpoint)
            try await Self.eventually { micro.stats.closedConnections == 1 }
            #expect(micro.stats.closedConnections == 1)
        }
    }

    @Test("Idle connections expire")
    func expiry() async throws {
        let micro = try await ScriptedMicro.ok()
        let pool = UpstreamPool(idleTimeout: .milliseconds(200))
        _ = try await Self.text(try await pool.execute(Self.get(), to: Self.endpoint(micro), timeout: Self.timeout))
        try await Self.eventually { micro.stats.closedConnections == 1 }
        #expect(micro.stats.closedConnections == 1)
        await pool.shutdown()
        try await micro.stop()
    }
}
