import HTTPTypes
import HearthRuntime
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// Forwards a request to a running micro over pooled keep-alive connections, streaming the
/// response. The micro is held (not stopped as idle) until its response has been received in
/// full and, if it streams, sent.
struct MicroProxy: Sendable {
    let pool: UpstreamPool
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
        _ request: Request, to spec: MicroSpec, path: String, host: String, scheme: String, instanceName: String,
        context: some RequestContext
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
        let upstream = UpstreamRequest(
            method: HTTPMethod(rawValue: request.method.rawValue), target: path,
            headers: Self.forwardedHeaders(request, host: host, scheme: scheme, client: context),
            body: body.readableBytes > 0 || request.headers[.contentLength] != nil ? body : nil)
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
            do {
                let response = try await pool.execute(
                    upstream, to: lease.endpoint, timeout: timeout, near: (context as? any EventLoopRequestContext)?.eventLoop)
                return await Self.relay(response, holding: lease)
            } catch {
                let again = attempts == 1 ? await Self.isWorthRetrying(error, request: upstream, lease: lease) : false
                await lease.release()
                if again { continue }
                context.logger.warning("Micro did not answer", metadata: ["micro": "\(spec.key)", "error": "\(error)"])
                let reason = (error as? UpstreamError)?.message ?? "\(error)"
                return InstancePages.microFailed(
                    instance: instanceName, message: "The micro '\(spec.micro)' did not answer: \(reason)",
                    log: supervisor.recentLog(spec))
            }
        }
    }

    /// Whether a failed request may be sent once more: when the connection was refused (the
    /// micro died after its last answer; nothing was sent, and the next try waits for its
    /// restart), or when an idempotent request met a kept-alive connection the micro had just
    /// closed while the micro itself is alive (a crash it caused is never repeated).
    static func isWorthRetrying(_ error: any Error, request: UpstreamRequest, lease: MicroLease) async -> Bool {
        guard let error = error as? UpstreamError else { return false }
        if error.code == UpstreamError.connectFailed { return true }
        guard error.code == UpstreamError.closed, request.isIdempotent else { return false }
        // A crashing process closes its sockets a moment before it is reported as ended.
        try? await Task.sleep(for: .milliseconds(20))
        return await lease.microIsAlive()
    }

    /// The micro's response for the client. A body that came whole is sent in one write (the
    /// micro is done with the request, so the lease ends now); a streamed one keeps the lease
    /// until it has been sent, or the client has gone.
    static func relay(_ response: UpstreamResponse, holding lease: MicroLease) async -> Response {
        var headers = HTTPFields()
        for (name, value) in response.head.headers where !Self.hopByHop.contains(name.lowercased()) {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        let status = HTTPResponse.Status(code: Int(response.head.status.code), reasonPhrase: response.head.status.reasonPhrase)
        switch response.body {
        case .complete(let body?):
            await lease.release()
            return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
        case .complete(nil):
            await lease.release()
            var relayed = Response(status: status, headers: headers)
            relayed.headers = headers  // without the Content-Length: 0 it adds (HEAD, 204 and 304 answers)
            return relayed
        case .streaming(let first, let rest):
            let holder = LeaseHolder(lease)
            return Response(
                status: status, headers: headers,
                body: ResponseBody { writer in
                    do {
                        if let first { try await writer.write(first) }
                        for try await chunk in rest { try await writer.write(chunk) }
                        try await writer.finish(nil)
                    } catch {
                        await holder.release()
                        throw error
                    }
                    await holder.release()
                })
        }
    }

    /// The request's headers minus hop-by-hop ones, plus `X-Forwarded-*` telling the micro
    /// the original host, scheme and client.
    static func forwardedHeaders(_ request: Request, host: String, scheme: String, client context: some RequestContext) -> HTTPHeaders {
        var headers = HTTPHeaders()
        var connectionTokens = Set<String>()
        if let connection = request.headers[.connection] {
            connectionTokens = Set(connection.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        }
        for field in request.headers {
            let name = field.name.canonicalName
            // The proxy sets the length of the body it sends; it has the whole body, so it expects nothing.
            if hopByHop.contains(name) || connectionTokens.contains(name) || name.hasPrefix("x-forwarded-") || name == "content-length"
                || name == "expect"
            {
                continue
            }
            headers.add(name: field.name.rawName, value: field.value)
        }
        if headers["host"].isEmpty { headers.add(name: "Host", value: host) }
        headers.add(name: "X-Forwarded-Host", value: host)
        headers.add(name: "X-Forwarded-Proto", value: scheme)
        if let address = (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress {
            headers.add(name: "X-Forwarded-For", value: address)
        }
        return headers
    }
}
