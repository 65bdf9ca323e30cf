import Crypto
import Foundation
import SwiftASN1
import X509

/// The node's own certificate authority (P-256, ten years): made on the first `--tls` start in
/// `<data>/tls/`, kept across starts, and the signer of every certificate the node serves when
/// no certificate is given. Trusting its `ca.pem` once makes all of them trusted.
public struct LocalAuthority: Sendable {
    public let certificate: Certificate
    let key: Certificate.PrivateKey
    /// Whether this start made it (a new authority must be trusted anew).
    public let isNew: Bool

    /// How long an authority is valid.
    static let lifetime: TimeInterval = 10 * 365 * 86_400
    /// How long a server certificate it issues is valid (browsers' limit for leaf certificates).
    static let leafLifetime: TimeInterval = 397 * 86_400
    /// Certificates this close to their end are replaced.
    static let renewal: TimeInterval = 30 * 86_400

    /// The authority in `files`, or a new one named after `node` when there is none, it cannot
    /// be used (one of its two files is missing) or it ends within 30 days.
    public static func loadOrCreate(files: TLSFiles, node: String, now: Date = Date()) throws(TLSError) -> LocalAuthority {
        if let keyText = try files.read(files.authorityKey), let certificateText = try files.read(files.authorityCertificate) {
            let existing = try load(key: keyText, certificate: certificateText, files: files)
            if existing.certificate.notValidAfter > now.addingTimeInterval(renewal) { return existing }
        }
        let authority = try create(node: node, now: now)
        do {
            try files.writeSecret(authority.key.serializeAsPEM().pemString, to: files.authorityKey)
            try files.writePublic(authority.certificate.serializeAsPEM().pemString, to: files.authorityCertificate)
        } catch let error as TLSError {
            throw error
        } catch {
            throw TLSError(TLSError.invalid, "Cannot encode the local authority", cause: error)
        }
        return authority
    }

    private static func load(key: String, certificate: String, files: TLSFiles) throws(TLSError) -> LocalAuthority {
        let parsedKey: Certificate.PrivateKey
        let parsedCertificate: Certificate
        do {
            parsedKey = try Certificate.PrivateKey(pemEncoded: key)
        } catch {
            throw TLSError(TLSError.invalid, "\(files.authorityKey.path) is not a private key", cause: error)
        }
        do {
            parsedCertificate = try Certificate(pemEncoded: certificate)
        } catch {
            throw TLSError(TLSError.invalid, "\(files.authorityCertificate.path) is not a certificate", cause: error)
        }
        guard parsedCertificate.publicKey == parsedKey.publicKey else {
            throw TLSError(
                TLSError.mismatch,
                "\(files.authorityKey.path) is not the key of \(files.authorityCertificate.path); move both away to make a new authority")
        }
        return LocalAuthority(certificate: parsedCertificate, key: parsedKey, isNew: false)
    }

    private static func create(node: String, now: Date) throws(TLSError) -> LocalAuthority {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        do {
            let name = try DistinguishedName {
                OrganizationName("Hearth")
                CommonName(String("Hearth local CA (\(node))".prefix(64)))
            }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: key.publicKey)
            }
            let certificate = try Certificate(
                version: .v3, serialNumber: .init(), publicKey: key.publicKey, notValidBefore: now.addingTimeInterval(-3600),
                notValidAfter: now.addingTimeInterval(lifetime), issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: extensions, issuerPrivateKey: key)
            return LocalAuthority(certificate: certificate, key: key, isNew: true)
        } catch {
            throw TLSError(TLSError.invalid, "Cannot make the local authority", cause: error)
        }
    }

    /// A server certificate for `names` and `publicKey`, valid from an hour ago for 397 days (or
    /// until the authority ends, if sooner).
    public func issue(for names: ServerNames, publicKey: Certificate.PublicKey, now: Date = Date()) throws(TLSError) -> Certificate {
        do {
            let subject = try DistinguishedName {
                CommonName(String((names.dnsNames.first ?? names.ipAddresses.first ?? "hearth").prefix(64)))
            }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names.generalNames)
                AuthorityKeyIdentifier(keyIdentifier: try certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
                SubjectKeyIdentifier(hash: publicKey)
            }
            return try Certificate(
                version: .v3, serialNumber: .init(), publicKey: publicKey, notValidBefore: now.addingTimeInterval(-3600),
                notValidAfter: min(now.addingTimeInterval(Self.leafLifetime), certificate.notValidAfter), issuer: certificate.subject,
                subject: subject, signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: key)
        } catch {
            throw TLSError(TLSError.invalid, "Cannot issue a certificate for \(names.dnsNames.first ?? "the node")", cause: error)
        }
    }

    /// Whether `certificate` was signed by this authority.
    func signed(_ certificate: Certificate) -> Bool {
        guard certificate.issuer == self.certificate.subject else { return false }
        return self.certificate.publicKey.isValidSignature(certificate.signature, for: certificate)
    }
}
