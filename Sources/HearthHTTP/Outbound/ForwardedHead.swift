import NIOHTTP1

extension HTTPRequestHead {
    /// This absolute-form request as sent to `target` itself (RFC 9112 §3.2.2, RFC 9110 §7.6.1):
    /// origin-form `path`, `Host` from the target, hop-by-hop headers (and those `Connection`
    /// names) and `Proxy-*` removed, the body framed as the client framed it, `Connection: close`.
    func forwarded(to target: ProxyTarget, path: String) -> HTTPRequestHead {
        let named = Set(headers[canonicalForm: "connection"].map { $0.lowercased() })
        var forwarded = HTTPHeaders([("Host", target.hostHeader)])
        for (name, value) in headers {
            let lower = name.lowercased()
            if lower == "host" || lower.hasPrefix("proxy-") || MicroProxy.hopByHop.contains(lower) || named.contains(lower) { continue }
            forwarded.add(name: name, value: value)
        }
        if headers.contains(name: "transfer-encoding") { forwarded.add(name: "Transfer-Encoding", value: "chunked") }
        forwarded.add(name: "Connection", value: "close")
        return HTTPRequestHead(version: version, method: method, uri: path, headers: forwarded)
    }
}
