import Foundation
import HearthCore
import NIOSSL

/// A node's HTTPS, ready to serve: the local authority and its files, the certificate chosen
/// per handshake, and the contexts of the node's listener and of the listeners inside sandboxes.
public struct NodeTLS: Sendable {
    public let files: TLSFiles
    public let authority: LocalAuthority
    /// The certificate served to clients that name no host (and to named ones unless given).
    public let local: ServerIdentity
    /// The operator's certificate, when one was given.
    public let given: ServerIdentity?
    let selector: CertificateSelector
    /// The context of listeners inside sandboxes (HTTP/1.1 only).
    let roomContext: NIOSSLContext

    /// Prepares HTTPS for a node on `layout` answering at `domain` and listening on `host`:
    /// loads or makes the local authority and the server certificate (`<data>/tls/`), checks a
    /// given certificate, and writes the bundle micros trust.
    public static func prepare(
        _ source: TLSSource, layout: DataLayout, domain: String, host: String, now: Date = Date()
    ) throws(TLSError) -> NodeTLS {
        let files = TLSFiles(layout: layout)
        var given: ServerIdentity?
        if case .given(let certificate, let key) = source {
            given = try GivenCertificate.load(certificate: certificate, key: key, now: now)
        }
        let authority = try LocalAuthority.loadOrCreate(files: files, node: nodeName(host: host), now: now)
        let names = ServerNames.node(domain: domain, host: host)
        let local = try authority.serverIdentity(for: names, files: files, now: now)
        try TrustBundle.write(files: files, authority: authority)
        let selector = CertificateSelector(authority: authority, local: local, names: names, domain: domain, given: given)
        var roomConfiguration = local.serverConfiguration
        roomConfiguration.sslContextCallback = selector.callback
        let roomContext: NIOSSLContext
        do {
            roomContext = try NIOSSLContext(configuration: roomConfiguration)
        } catch {
            throw TLSError(TLSError.invalid, "The server certificate cannot be used for TLS", cause: error)
        }
        return NodeTLS(files: files, authority: authority, local: local, given: given, selector: selector, roomContext: roomContext)
    }

    /// The TLS configuration of the node's listener (ALPN is added by the HTTP/2 server).
    var serverConfiguration: TLSConfiguration {
        var configuration = (given ?? local).serverConfiguration
        configuration.sslContextCallback = selector.callback
        return configuration
    }

    /// The file micros get as `SSL_CERT_FILE`.
    public var trustBundle: URL { files.trustBundle }

    /// The certificate local tools trust: the authority of the certificate served on loopback.
    public var authorityCertificate: URL { files.authorityCertificate }

    /// The name in the authority's title: the machine's host name, else the listening address.
    static func nodeName(host: String) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return host }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? host : name
    }
}
