import Foundation
import X509

/// The authorities micros trust (`SSL_CERT_FILE`): the system's, so their requests to the
/// internet still verify, plus the node's local authority, so their HTTPS requests to the node
/// verify too. Written at every start, so it follows updates of the system's authorities.
enum TrustBundle {
    /// Where Debian and Ubuntu (and Alpine) keep the system's authorities; Fedora's, then others'.
    static let systemBundles = [
        "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem",
    ]

    static func write(files: TLSFiles, authority: LocalAuthority) throws(TLSError) {
        let system = systemBundles.lazy.compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }.first ?? ""
        let own: String
        do {
            own = try authority.certificate.serializeAsPEM().pemString
        } catch {
            throw TLSError(TLSError.invalid, "Cannot encode the local authority", cause: error)
        }
        let separator = system.isEmpty || system.hasSuffix("\n") ? "" : "\n"
        try files.writePublic(system + separator + "# Hearth local CA\n" + own + "\n", to: files.trustBundle)
    }
}
