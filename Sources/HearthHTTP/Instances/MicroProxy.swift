import AsyncHTTPClient
import HTTPTypes
import HearthRuntime
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// Forwards a request to a running micro over pooled keep-alive connections, streaming the
/// response. The micro is held (not stopped as idle) until its response has been sent.
struct MicroProxy: Sendable {
    let client: HTTPClient
    let supervisor: Supervisor
    let timeout: TimeAmount
    /// The largest request body passed on to a micro; larger ones get 413.
    let maxRequestBytes: Int

    /// Headers that describe one hop and must not be forwarded (RFC 9110 §7.6.1).
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authenticate", "proxy-authorization",
    ]

    func forward(
        _ request: Request, to spec: MicroSpec, path: String, host: String, instanceName: String, context: some RequestContext
    ) async -> Response {
        // The body is read whole first: the proxy then owns its only reader (the HTTP client
        // must not still be reading the client's connection when the response is done), and a
        // request can be sent again.
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maxRequestBytes)
        } catch {
            return InstancePages.page(
                .contentTooLarge, title: "Request too large",
                message: "\(instanceName) accepts requests of at most \(maxRequestBytes / (1024 * 1024)) MiB.")
        }
        let headers = Self.forwardedHeaders(request, host: host, client: context)
        var attempts = 0
        while true {
            attempts += 1
            let lease: MicroLease
            do {
                lease = try await supervisor.acquire(spec)
            } catch {
                context.logger.warning("Micro failed to start", metadata: ["micro": "\(spec.key)", "reason": "\(error.message)"])
                return InstancePages.microFailed(instance: instanceName, message: error.message, log: supervisor.recentLog(spec))
            }
            var upstream = HTTPClientRequest(url: "http://127.0.0.1:\(lease.port)\(path)")
            upstream.method = HTTPMethod(rawValue: request.method.rawValue)
            upstream.headers = headers
            if body.readableBytes > 0 || request.headers[.contentLength] != nil { upstream.body = .bytes(body) }
            do {
                return Self.relay(try await client.execute(upstream, timeout: timeout), holding: lease)
            } catch {
                let again = attempts == 1 ? await Self.isWorthRetrying(error, method: request.method, lease: lease) : false
                await lease.release()
                if again { continue }
                context.logger.warning("Micro did not answer", metadata: ["micro": "\(spec.key)", "error": "\(error)"])
                return InstancePages.microFailed(
                    instance: instanceName, message: "The micro '\(spec.micro)' did not answer: \(error)",
                    log: supervisor.recentLog(spec))
            }
        }
    }

    /// Whether a failed request may be sent once more: when the connection was refused (the
    /// micro died after its last answer; nothing was sent, and the next try waits for its
    /// restart), or when an idempotent request met a kept-alive connection the micro had just
    /// closed while the micro itself is alive (a crash it caused is never repeated).
    static func isWorthRetrying(_ error: any Error, method: HTTPRequest.Method, lease: MicroLease) async -> Bool {
        if error is NIOConnectionError || (error as? IOError)?.errnoCode == ECONNREFUSED { return true }
        let closed =
            (error as? HTTPClientError) == .remoteConnectionClosed || (error as? ChannelError) == .ioOnClosedChannel
            || (error as? IOError)?.errnoCode == ECONNRESET
        guard closed, [.get, .head, .options, .put, .delete].contains(method) else { return false }
        // A crashing process closes its sockets a moment before it is reported as ended.
        try? await Task.sleep(for: .milliseconds(20))
        return await lease.microIsAlive()
    }

    /// The micro's response, streamed to the client; the lease ends with the body.
    static func relay(_ response: HTTPClientResponse, holding lease: MicroLease) -> Response {
        var headers = HTTPFields()
        for (name, value) in response.headers where !Self.hopByHop.contains(name.lowercased()) {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        let body = response.body
        return Response(
            status: .init(code: Int(response.status.code), reasonPhrase: response.status.reasonPhrase), headers: headers,
            body: ResponseBody { writer in
                defer { Task { await lease.release() } }
                for try await chunk in body { try await writer.write(chunk) }
                try await writer.finish(nil)
            })
    }

    /// The request's headers minus hop-by-hop ones, plus `X-Forwarded-*` telling the micro
    /// the original host, scheme and client.
    static func forwardedHeaders(_ request: Request, host: String, client context: some RequestContext) -> HTTPHeaders {
        var headers = HTTPHeaders()
        var connectionTokens = Set<String>()
        if let connection = request.headers[.connection] {
            connectionTokens = Set(connection.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        }
        for field in request.headers {
            let name = field.name.canonicalName
            // The client sets the length of the body it sends.
            if hopByHop.contains(name) || connectionTokens.contains(name) || name.hasPrefix("x-forwarded-") || name == "content-length" {
                continue
            }
            headers.add(name: field.name.rawName, value: field.value)
        }
        if headers["host"].isEmpty { headers.add(name: "Host", value: host) }
        headers.add(name: "X-Forwarded-Host", value: host)
        headers.add(name: "X-Forwarded-Proto", value: "http")
        if let address = (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress {
            headers.add(name: "X-Forwarded-For", value: address)
        }
        return headers
    }
}
