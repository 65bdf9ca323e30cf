import AsyncHTTPClient
import HTTPTypes
import HearthRuntime
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// Forwards a request to a running micro over pooled keep-alive connections, streaming both
/// bodies. The micro is held (not stopped as idle) until its response has been sent.
struct MicroProxy: Sendable {
    let client: HTTPClient
    let supervisor: Supervisor
    let timeout: TimeAmount

    /// Headers that describe one hop and must not be forwarded (RFC 9110 §7.6.1).
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authenticate", "proxy-authorization",
    ]

    func forward(
        _ request: Request, to spec: MicroSpec, path: String, host: String, instanceName: String, context: some RequestContext
    )
        async -> Response
    {
        let lease: MicroLease
        do {
            lease = try await supervisor.acquire(spec)
        } catch {
            context.logger.warning("Micro failed to start", metadata: ["micro": "\(spec.key)", "reason": "\(error.message)"])
            return InstancePages.microFailed(instance: instanceName, message: error.message, log: supervisor.recentLog(spec))
        }
        var upstream = HTTPClientRequest(url: "http://127.0.0.1:\(lease.port)\(path)")
        upstream.method = HTTPMethod(rawValue: request.method.rawValue)
        upstream.headers = Self.forwardedHeaders(request, host: host, client: context)
        let length = request.headers[.contentLength].flatMap(Int64.init)
        if (length ?? 0) > 0 || request.headers[.transferEncoding] != nil {
            upstream.body = .stream(request.body, length: length.map { .known($0) } ?? .unknown)
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(upstream, timeout: timeout)
        } catch {
            await lease.release()
            context.logger.warning("Micro did not answer", metadata: ["micro": "\(spec.key)", "error": "\(error)"])
            return InstancePages.microFailed(
                instance: instanceName, message: "The micro '\(spec.micro)' did not answer: \(error)", log: supervisor.recentLog(spec))
        }
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
            if hopByHop.contains(name) || connectionTokens.contains(name) || name.hasPrefix("x-forwarded-") { continue }
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
