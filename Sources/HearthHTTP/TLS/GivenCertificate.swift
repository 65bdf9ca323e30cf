import Foundation
import SwiftASN1
import X509

/// A certificate chain and key the operator gives (`--tls-cert`, `--tls-key`), checked before
/// the node serves them: each file readable and PEM, the key the certificate's, the certificate
/// valid now. Every error names the file at fault.
public enum GivenCertificate {
    public static func load(certificate certificateFile: URL, key keyFile: URL, now: Date = Date()) throws(TLSError) -> ServerIdentity {
        let chain = try readChain(certificateFile)
        let key = try readKey(keyFile)
        let leaf = chain[0]
        guard leaf.publicKey == key.publicKey else {
            throw TLSError(TLSError.mismatch, "\(keyFile.path) is not the key of the certificate in \(certificateFile.path)")
        }
        guard leaf.notValidAfter > now else {
            throw TLSError(TLSError.expired, "The certificate in \(certificateFile.path) expired on \(describe(leaf.notValidAfter))")
        }
        guard leaf.notValidBefore <= now else {
            throw TLSError(
                TLSError.expired, "The certificate in \(certificateFile.path) is not valid before \(describe(leaf.notValidBefore))")
        }
        return try ServerIdentity(chain: chain, key: key)
    }

    /// Every certificate in the file, the server's first.
    private static func readChain(_ file: URL) throws(TLSError) -> [Certificate] {
        let text = try read(file, what: "certificate")
        let documents = (try? PEMDocument.parseMultiple(pemString: text)) ?? []
        let blocks = documents.filter { $0.discriminator == "CERTIFICATE" }
        guard !blocks.isEmpty else {
            throw TLSError(TLSError.invalid, "\(file.path) holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        do {
            return try blocks.map { try Certificate(pemDocument: $0) }
        } catch {
            throw TLSError(TLSError.invalid, "\(file.path) holds a certificate that cannot be read", cause: error)
        }
    }

    private static func readKey(_ file: URL) throws(TLSError) -> Certificate.PrivateKey {
        let text = try read(file, what: "private key")
        guard !text.contains("ENCRYPTED") else {
            throw TLSError(TLSError.invalid, "\(file.path) is encrypted; give the key unencrypted (openssl pkey -in KEY -out PLAIN)")
        }
        do {
            return try Certificate.PrivateKey(pemEncoded: text)
        } catch {
            throw TLSError(
                TLSError.invalid, "\(file.path) is not a PEM private key (PKCS#8, EC or RSA)", cause: error)
        }
    }

    private static func read(_ file: URL, what: String) throws(TLSError) -> String {
        do {
            return try String(contentsOf: file, encoding: .utf8)
        } catch {
            let reason = (error as? CocoaError)?.code == .fileReadNoSuchFile ? "there is no such file" : "it cannot be read"
            throw TLSError(TLSError.storage, "Cannot read the \(what) \(file.path): \(reason)", cause: error)
        }
    }

    private static func describe(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
