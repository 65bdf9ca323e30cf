import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import HearthHTTP

/// The outbound proxy end to end over real sockets: tunnels, forwarded requests, refusals.
@Suite("Outbound proxy")
struct OutboundProxyTests {
    @Test("CONNECT tunnels 8 MiB each way to an allowed local server, and passes the half-close through")
    func tunnel() async throws {
        let echo = try await OutboundTest.server { EchoHandler() }
        defer { echo.close(promise: nil) }
        let payload = ByteBuffer(bytes: (0..<8 * 1024 * 1024).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) })
        try await OutboundTest.withProxy(allowList: ["127.0.0.1:\(echo.port)"]) { port in
            try await OutboundTest.connect(port: port).executeThenClose { inbound, outbound in
                // Early bytes in the same packet as CONNECT reach the server too.
                try await outbound.write(ByteBuffer(string: "CONNECT 127.0.0.1:\(echo.port) HTTP/1.1\r\nHost: x\r\n\r\nearly"))
                var received = ByteBuffer()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        var rest = payload
                        while rest.readableBytes > 0 { try await outbound.write(rest.readSlice(length: min(rest.readableBytes, 100_000))!) }
                        outbound.finish()
                    }
                    for try await var chunk in inbound { received.writeBuffer(&chunk) }
                    try await group.waitForAll()
                }
                let head = "HTTP/1.1 200 Connection Established\r\n\r\n"
                #expect(received.readString(length: head.utf8.count) == head)
                #expect(received.readString(length: 5) == "early")
                #expect(received == payload)
            }
        }
    }

    @Test("An absolute-form GET is forwarded in origin form without hop-by-hop headers")
    func absoluteGet() async throws {
        let upstream = try await OutboundTest.server({ DescribingHTTPHandler() }, http: true)
        defer { upstream.close(promise: nil) }
        let answer = try await OutboundTest.withProxy(allowList: ["127.0.0.1:\(upstream.port)"]) { port in
            try await OutboundTest.exchange(
                port: port,
                "GET http://127.0.0.1:\(upstream.port)/notes?q=1 HTTP/1.1\r\nHost: wrong\r\nProxy-Authorization: Basic eA==\r\n"
                    + "Proxy-Connection: keep-alive\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: 5\r\nAccept: text/plain\r\n\r\n"
            )
        }
        #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(answer.contains("GET /notes?q=1 HTTP/1.1\n"))
        #expect(answer.contains("host: 127.0.0.1:\(upstream.port)\n"))
        #expect(answer.contains("accept: text/plain\n"))
        #expect(answer.contains("connection: close\n"))
        for gone in ["proxy-", "x-hop", "keep-alive", "wrong"] { #expect(!answer.contains(gone), "\(gone)") }
    }

    @Test("A chunked POST body is streamed upstream")
    func chunkedPost() async throws {
        let upstream = try await OutboundTest.server({ DescribingHTTPHandler() }, http: true)
        defer { upstream.close(promise: nil) }
        let chunk = String(repeating: "a", count: 0x10000)
        let body = String(repeating: "10000\r\n\(chunk)\r\n", count: 40) + "0\r\n\r\n"
        let answer = try await OutboundTest.withProxy(allowList: ["127.0.0.1:\(upstream.port)"]) { port in
            try await OutboundTest.exchange(
                port: port,
                "POST http://127.0.0.1:\(upstream.port)/up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
        }
        #expect(answer.contains("POST /up HTTP/1.1\n"))
        #expect(answer.contains("transfer-encoding: chunked\n"))
        #expect(answer.contains("body: \(40 * 0x10000) \(40 * 0x10000 * 97)\n"))
    }

    @Test(
        "Refusals and failures are answered with a status and a reason",
        arguments: [
            ("CONNECT 127.0.0.1:1 HTTP/1.1\r\n\r\n", "403 Forbidden", "127.0.0.1 is a loopback address"),
            ("GET http://localhost:1/ HTTP/1.1\r\nHost: localhost\r\n\r\n", "403 Forbidden", "loopback address"),
            ("CONNECT [::ffff:169.254.169.254]:80 HTTP/1.1\r\n\r\n", "403 Forbidden", "link-local"),
            ("CONNECT nowhere.invalid:443 HTTP/1.1\r\n\r\n", "502 Bad Gateway", "cannot resolve nowhere.invalid"),
            ("GET / HTTP/1.1\r\nHost: x\r\n\r\n", "400 Bad Request", "not a proxy request"),
            ("GET https://example.com/ HTTP/1.1\r\n\r\n", "400 Bad Request", "not a proxy request"),
            ("CONNECT example.com HTTP/1.1\r\n\r\n", "400 Bad Request", "not a proxy request"),
            ("CONNECT a b:80 HTTP/1.1\r\n\r\n", "400 Bad Request", "malformed"),
            ("\u{1}\u{2}garbage\r\n\r\n", "400 Bad Request", "malformed"),
            ("GET http://x/ HTTP/1.1\r\nX: \(String(repeating: "y", count: 20_000))\r\n\r\n", "400 Bad Request", "malformed"),
        ])
    func refusal(request: String, status: String, reason: String) async throws {
        let answer = try await OutboundTest.withProxy { port in try await OutboundTest.exchange(port: port, request) }
        #expect(answer.hasPrefix("HTTP/1.1 \(status)\r\n"), "\(answer)")
        #expect(answer.contains(reason), "\(answer)")
    }

    @Test("With outbound connections turned off, every request gets 403 naming the command")
    func turnedOff() async throws {
        let upstream = try await OutboundTest.server({ DescribingHTTPHandler() }, http: true)
        defer { upstream.close(promise: nil) }
        try await OutboundTest.withProxy(allowList: ["127.0.0.1:\(upstream.port)"], allowed: { false }) { port in
            for request in [
                "CONNECT 127.0.0.1:\(upstream.port) HTTP/1.1\r\n\r\n",
                "POST http://127.0.0.1:\(upstream.port)/ HTTP/1.1\r\nContent-Length: 100000\r\n\r\n"
                    + String(repeating: "z", count: 100_000),
            ] {
                let answer = try await OutboundTest.exchange(port: port, request)
                #expect(answer.hasPrefix("HTTP/1.1 403 Forbidden\r\n"))
                #expect(answer.contains("hearth app limits notes --outbound on"))
            }
        }
    }

    @Test("A refused connection is 502, a connection that never completes is 504")
    func connectFailures() async throws {
        let (closed, closedPort) = try OutboundTest.listeningSocket()
        close(closed)
        // A listener whose queue is full and never accepted: further handshakes hang.
        let (full, fullPort) = try OutboundTest.listeningSocket(backlog: 0)
        defer { close(full) }
        let queued = try await ClientBootstrap(group: OutboundTest.group).connect(host: "127.0.0.1", port: fullPort).get()
        defer { queued.close(promise: nil) }
        let limits = OutboundProxy.Limits(connectTimeout: .milliseconds(500))
        try await OutboundTest.withProxy(allowList: ["127.0.0.1:\(closedPort)", "127.0.0.1:\(fullPort)"], limits: limits) { port in
            let refused = try await OutboundTest.exchange(port: port, "CONNECT 127.0.0.1:\(closedPort) HTTP/1.1\r\n\r\n")
            #expect(refused.hasPrefix("HTTP/1.1 502 Bad Gateway\r\n"))
            #expect(refused.contains("connection refused"))
            let hung = try await OutboundTest.exchange(port: port, "CONNECT 127.0.0.1:\(fullPort) HTTP/1.1\r\n\r\n")
            #expect(hung.hasPrefix("HTTP/1.1 504 Gateway Timeout\r\n"), "\(hung)")
        }
    }

    @Test("A silent tunnel is closed after the idle timeout")
    func idleTunnel() async throws {
        let echo = try await OutboundTest.server { EchoHandler() }
        defer { echo.close(promise: nil) }
        try await OutboundTest.withProxy(allowList: ["127.0.0.1:\(echo.port)"], limits: .init(idleTimeout: .seconds(2))) { port in
            let started = ContinuousClock.now
            let answer = try await OutboundTest.exchange(port: port, "CONNECT 127.0.0.1:\(echo.port) HTTP/1.1\r\n\r\nping")
            #expect(answer == "HTTP/1.1 200 Connection Established\r\n\r\nping")
            #expect(ContinuousClock.now - started < .seconds(15))
        }
    }

    @Test("Connections over the limit get 503 until one closes")
    func connectionLimit() async throws {
        let echo = try await OutboundTest.server { EchoHandler() }
        defer { echo.close(promise: nil) }
        let connect = "CONNECT 127.0.0.1:\(echo.port) HTTP/1.1\r\n\r\n"
        try await OutboundTest.withProxy(allowList: ["127.0.0.1:\(echo.port)"], limits: .init(connections: 1)) { port in
            try await OutboundTest.connect(port: port).executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: connect))
                var iterator = inbound.makeAsyncIterator()
                #expect(try await iterator.next().map { String(buffer: $0) } == "HTTP/1.1 200 Connection Established\r\n\r\n")
                let turnedAway = try await OutboundTest.exchange(port: port, connect)
                #expect(turnedAway.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
            }
            // The slot is given back once the first connection has closed.
            var answer = ""
            for _ in 0..<50 {
                answer = try await OutboundTest.exchange(port: port, "GET / HTTP/1.1\r\n\r\n")
                if !answer.contains("503") { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(answer.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        }
    }

    @Test("When the app closes a tunnel, the upstream connection is closed too", .timeLimit(.minutes(1)))
    func clientCloses() async throws {
        let closed = OutboundTest.group.next().makePromise(of: Void.self)
        let server = try await OutboundTest.server { Ticker(closed) }
        defer { server.close(promise: nil) }
        try await OutboundTest.withProxy(allowList: ["127.0.0.1:\(server.port)"]) { port in
            try await OutboundTest.connect(port: port).executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: "CONNECT 127.0.0.1:\(server.port) HTTP/1.1\r\n\r\n"))
                for try await chunk in inbound where String(buffer: chunk).contains("tick") { break }
            }
            try await closed.futureResult.get()
        }
    }
}
