import Foundation
import HearthCore
import HearthTesting
import Testing
import X509

@testable import HearthHTTP

/// The node's local authority and the server certificate it issues, on a real filesystem.
@Suite("Local authority")
struct LocalAuthorityTests {
    static let names = ServerNames.node(domain: "localhost", host: "127.0.0.1")

    @Test("The first start makes the authority and the server certificate, keys 0600 in a 0700 directory")
    func issues() async throws {
        try await withTemporaryDirectory { root in
            let files = TLSFiles(layout: DataLayout(root: root))
            let authority = try LocalAuthority.loadOrCreate(files: files, node: "box")
            let server = try authority.serverIdentity(for: Self.names, files: files)
            #expect(authority.isNew)
            #expect(try authority.certificate.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
            #expect(authority.certificate.subject.description.contains("Hearth local CA (box)"))
            #expect(authority.certificate.notValidAfter.timeIntervalSinceNow > 9 * 365 * 86_400)
            #expect(mode(files.directory) == 0o700)
            #expect(mode(files.authorityKey) == 0o600)
            #expect(mode(files.serverKey) == 0o600)
            #expect(mode(files.authorityCertificate) == 0o644)
            #expect(authority.signed(server.certificate))
            let listed = try #require(try server.certificate.extensions.subjectAlternativeNames)
            for name in ["localhost", "*.localhost"] { #expect(listed.contains(.dnsName(name))) }
            #expect(await verify(server.certificate, by: authority, host: nil, ip: "127.0.0.1"))
            #expect(await verify(server.certificate, by: authority, host: nil, ip: "::1"))
            #expect(await verify(server.certificate, by: authority, host: "localhost", ip: nil))
        }
    }

    @Test("Later starts reuse the authority and the server certificate")
    func reuses() async throws {
        try await withTemporaryDirectory { root in
            let files = TLSFiles(layout: DataLayout(root: root))
            let first = try LocalAuthority.loadOrCreate(files: files, node: "box")
            let server = try first.serverIdentity(for: Self.names, files: files)
            let again = try LocalAuthority.loadOrCreate(files: files, node: "box")
            #expect(!again.isNew)
            #expect(again.certificate == first.certificate)
            #expect(try again.serverIdentity(for: Self.names, files: files).certificate == server.certificate)
        }
    }

    @Test("A new domain or a certificate near its end gets a new server certificate for the same key")
    func reissues() async throws {
        try await withTemporaryDirectory { root in
            let files = TLSFiles(layout: DataLayout(root: root))
            let authority = try LocalAuthority.loadOrCreate(files: files, node: "box")
            let server = try authority.serverIdentity(for: Self.names, files: files)
            let names = ServerNames.node(domain: "apps.example.com", host: "127.0.0.1")
            let moved = try authority.serverIdentity(for: names, files: files)
            #expect(moved.certificate != server.certificate)
            #expect(moved.certificate.publicKey == server.certificate.publicKey)
            #expect(try moved.certificate.extensions.subjectAlternativeNames?.contains(.dnsName("*.apps.example.com")) == true)
            #expect(try moved.certificate.extensions.subjectAlternativeNames?.contains(.dnsName("*.localhost")) == false)
            #expect(try authority.serverIdentity(for: names, files: files).certificate == moved.certificate)
            let later = Date().addingTimeInterval(380 * 86_400)
            let renewed = try authority.serverIdentity(for: names, files: files, now: later)
            #expect(renewed.certificate != moved.certificate)
            #expect(renewed.certificate.notValidAfter > later.addingTimeInterval(300 * 86_400))
        }
    }

    @Test("An instance host gets a certificate for exactly its name; other names get the node's")
    func instanceHosts() async throws {
        try await withTemporaryDirectory { root in
            let files = TLSFiles(layout: DataLayout(root: root))
            let authority = try LocalAuthority.loadOrCreate(files: files, node: "box")
            let local = try authority.serverIdentity(for: Self.names, files: files)
            let selector = CertificateSelector(authority: authority, local: local, names: Self.names, domain: "localhost", given: nil)
            let notes = selector.identity(serverName: "Notes.localhost").certificate
            #expect(try notes.extensions.subjectAlternativeNames.map(Array.init) == [.dnsName("notes.localhost")])
            #expect(notes.publicKey == local.certificate.publicKey)
            #expect(await verify(notes, by: authority, host: "notes.localhost", ip: nil))
            #expect(!(await verify(notes, by: authority, host: "other.localhost", ip: nil)))
            #expect(selector.identity(serverName: "notes.localhost").certificate == notes)
            for other in [nil, "localhost", "a.b.localhost", "example.com", "bad_label.localhost"] {
                #expect(selector.identity(serverName: other).certificate == local.certificate)
            }
        }
    }

    private func verify(_ certificate: Certificate, by authority: LocalAuthority, host: String?, ip: String?) async -> Bool {
        var verifier = Verifier(rootCertificates: CertificateStore([authority.certificate])) {
            RFC5280Policy()
            ServerIdentityPolicy(serverHostname: host, serverIP: ip)
        }
        if case .validCertificate = await verifier.validate(leaf: certificate, intermediates: CertificateStore()) { return true }
        return false
    }

    private func mode(_ url: URL) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int).map { $0 & 0o777 }
    }
}

/// The names of the node's certificate.
@Suite("Server names")
struct ServerNamesTests {
    @Test(
        "The listening address is named when it is one address or a host name",
        arguments: [
            ("127.0.0.1", [], []),
            ("0.0.0.0", [], []),
            ("::", [], []),
            ("192.168.1.5", [], ["192.168.1.5"]),
            ("fd00::5", [], ["fd00::5"]),
            ("box.lan", ["box.lan"], []),
        ] as [(String, [String], [String])])
    func listening(host: String, names: [String], addresses: [String]) {
        let node = ServerNames.node(domain: "apps.test", host: host)
        #expect(node.dnsNames == ["apps.test", "*.apps.test", "localhost"] + names)
        #expect(node.ipAddresses == ["127.0.0.1", "::1"] + addresses)
    }
}
