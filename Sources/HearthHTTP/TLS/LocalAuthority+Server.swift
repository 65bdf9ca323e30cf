import Crypto
import Foundation
import X509

extension LocalAuthority {
    /// The node's server certificate (`server.pem`, `server.key`): the one on disk while it still
    /// fits — signed by this authority, for exactly `names`, more than 30 days from its end —
    /// else a new one for the same key (a new key only when there is none).
    public func serverIdentity(for names: ServerNames, files: TLSFiles, now: Date = Date()) throws(TLSError) -> ServerIdentity {
        let existingKey = try files.read(files.serverKey).flatMap { try? Certificate.PrivateKey(pemEncoded: $0) }
        if let existingKey, let text = try files.read(files.serverCertificate), let certificate = try? Certificate(pemEncoded: text),
            certificate.publicKey == existingKey.publicKey, signed(certificate), names.areExactly(in: certificate)
        {
            let identity = try ServerIdentity(chain: [certificate], key: existingKey)
            if !identity.endsSoon(now: now) { return identity }
        }
        let key = existingKey ?? Certificate.PrivateKey(P256.Signing.PrivateKey())
        let identity = try ServerIdentity(chain: [issue(for: names, publicKey: key.publicKey, now: now)], key: key)
        do {
            if existingKey == nil { try files.writeSecret(key.serializeAsPEM().pemString, to: files.serverKey) }
            try files.writePublic(identity.pem(), to: files.serverCertificate)
        } catch let error as TLSError {
            throw error
        } catch {
            throw TLSError(TLSError.invalid, "Cannot encode the server certificate", cause: error)
        }
        return identity
    }
}
