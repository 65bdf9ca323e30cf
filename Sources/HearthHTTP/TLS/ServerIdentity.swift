import Foundation
import NIOSSL
import SwiftASN1
import X509

/// A certificate chain (the server's certificate first) and the private key of its first
/// certificate, also in the form NIOSSL serves them.
public struct ServerIdentity: Sendable {
    public let chain: [Certificate]
    let key: Certificate.PrivateKey
    /// What a handshake serving this identity is given.
    let override: NIOSSLContextConfigurationOverride

    init(chain: [Certificate], key: Certificate.PrivateKey) throws(TLSError) {
        let sslKey: NIOSSLPrivateKey
        do {
            sslKey = try NIOSSLPrivateKey(bytes: Array(key.serializeAsPEM().pemString.utf8), format: .pem)
        } catch {
            throw TLSError(TLSError.invalid, "The private key cannot be used for TLS", cause: error)
        }
        try self.init(chain: chain, key: key, sslKey: .privateKey(sslKey))
    }

    /// An identity for another certificate of the same key as `other`.
    init(certificate: Certificate, sameKeyAs other: ServerIdentity) throws(TLSError) {
        guard let sslKey = other.override.privateKey else { throw TLSError(TLSError.invalid, "The identity has no key") }
        try self.init(chain: [certificate], key: other.key, sslKey: sslKey)
    }

    private init(chain: [Certificate], key: Certificate.PrivateKey, sslKey: NIOSSLPrivateKeySource) throws(TLSError) {
        self.chain = chain
        self.key = key
        var override = NIOSSLContextConfigurationOverride()
        do {
            override.certificateChain = try chain.map { certificate in
                var serializer = DER.Serializer()
                try serializer.serialize(certificate)
                return .certificate(try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der))
            }
        } catch {
            throw TLSError(TLSError.invalid, "The certificate cannot be used for TLS", cause: error)
        }
        override.privateKey = sslKey
        self.override = override
    }

    /// The server's own certificate.
    public var certificate: Certificate { chain[0] }

    /// Whether the certificate ends within `margin` of `now`.
    func endsSoon(now: Date, margin: TimeInterval = LocalAuthority.renewal) -> Bool {
        certificate.notValidAfter <= now.addingTimeInterval(margin)
    }

    /// A TLS configuration serving this identity.
    var serverConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: override.certificateChain ?? [], privateKey: override.privateKey!)
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }

    /// The chain as PEM text, the server's certificate first.
    func pem() throws -> String {
        try chain.map { try $0.serializeAsPEM().pemString }.joined(separator: "\n") + "\n"
    }
}
