import Crypto
import Foundation
import HearthCore
import HearthTesting
import Testing
import X509

@testable import HearthHTTP

/// A certificate and key given with `--tls-cert` and `--tls-key`.
@Suite("Given certificates")
struct GivenCertificateTests {
    @Test("A matching, current pair loads with its chain")
    func loads() async throws {
        try await withPair { files, certificate, key in
            let identity = try GivenCertificate.load(certificate: certificate, key: key)
            #expect(identity.chain.count == 2)
            #expect(identity.chain[1] == (try LocalAuthority.loadOrCreate(files: files, node: "box")).certificate)
        }
    }

    @Test(
        "A bad pair is refused with an error naming the file",
        arguments: [
            ("missing certificate", TLSError.storage, "cert.pem"),
            ("missing key", TLSError.storage, "key.pem"),
            ("garbage certificate", TLSError.invalid, "cert.pem"),
            ("garbage key", TLSError.invalid, "key.pem"),
            ("encrypted key", TLSError.invalid, "key.pem"),
            ("other key", TLSError.mismatch, "key.pem"),
            ("expired", TLSError.expired, "expired on"),
        ] as [(String, ErrorCode, String)])
    func refuses(problem: String, code: ErrorCode, mentions: String) async throws {
        try await withPair { files, certificate, key in
            switch problem {
            case "missing certificate": try FileManager.default.removeItem(at: certificate)
            case "missing key": try FileManager.default.removeItem(at: key)
            case "garbage certificate": try Data("not a certificate".utf8).write(to: certificate)
            case "garbage key": try Data("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".utf8).write(to: key)
            case "encrypted key":
                try Data("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n".utf8).write(to: key)
            case "other key": try Data(P256.Signing.PrivateKey().pemRepresentation.utf8).write(to: key)
            default:
                let authority = try LocalAuthority.loadOrCreate(files: files, node: "box")
                let privateKey = try Certificate.PrivateKey(pemEncoded: String(contentsOf: key, encoding: .utf8))
                let old = try authority.issue(
                    for: ServerNames(dnsNames: ["old.example"]), publicKey: privateKey.publicKey,
                    now: Date().addingTimeInterval(-500 * 86_400))
                try Data(old.serializeAsPEM().pemString.utf8).write(to: certificate)
            }
            let error = #expect(throws: TLSError.self) { try GivenCertificate.load(certificate: certificate, key: key) }
            #expect(error?.code == code)
            #expect(error?.message.contains(mentions) == true, "\(error?.message ?? "")")
        }
    }

    /// A certificate for `www.example` issued by a fresh local authority, with its chain, and its key.
    private func withPair(_ body: (TLSFiles, URL, URL) async throws -> Void) async throws {
        try await withTemporaryDirectory { root in
            let files = TLSFiles(layout: DataLayout(root: root.appendingPathComponent("data")))
            let authority = try LocalAuthority.loadOrCreate(files: files, node: "box")
            let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
            let leaf = try authority.issue(for: ServerNames(dnsNames: ["www.example"]), publicKey: key.publicKey)
            let certificateFile = root.appendingPathComponent("cert.pem")
            let keyFile = root.appendingPathComponent("key.pem")
            let chain = try [leaf, authority.certificate].map { try $0.serializeAsPEM().pemString }.joined(separator: "\n")
            try Data(chain.utf8).write(to: certificateFile)
            try Data(key.serializeAsPEM().pemString.utf8).write(to: keyFile)
            try await body(files, certificateFile, keyFile)
        }
    }
}
