import Crypto
import Foundation
import HearthCore
import HearthExport
import HearthTesting
import Testing

/// Release archives: written and signed by `ReleaseWriter`, and every kind of tampering
/// refused by `ReleaseVerifier` before anything is unpacked.
@Suite struct ReleaseTests {
    static let spacefile = "v: 0\nicon: icon.png\nmicros:\n  - name: web\n    src: .\n    engine: static\n    serve: public\n"

    /// A small app on disk, released by a fresh identity; returns the archive's entries.
    func release(in root: URL, identity: SpaceIdentity = SpaceIdentity(privateKey: .init())) throws -> [(String, Data?)] {
        let app = root.appendingPathComponent("app")
        try FileManager.default.createDirectory(at: app.appendingPathComponent("public"), withIntermediateDirectories: true)
        try Data(Self.spacefile.utf8).write(to: app.appendingPathComponent("Spacefile"))
        try Data("<h1>hi</h1>".utf8).write(to: app.appendingPathComponent("public/index.html"))
        try Data([0x89, 0x50, 0x4e, 0x47]).write(to: app.appendingPathComponent("icon.png"))
        try Data("---\ntitle: Site\n---\n".utf8).write(to: app.appendingPathComponent("Discovery.md"))
        let file = root.appendingPathComponent("good.zip")
        let (manifest, _) = try ReleaseWriter(identity: identity).write(
            appDirectory: app, app: "site", version: "1.2.0", notes: "first", icon: "./icon.png",
            discovery: Discovery(title: "Site", body: "Hello"), to: file)
        #expect(manifest.icon == "app/icon.png" && manifest.discovery == "app/Discovery.md")
        return try ExportFixture.entries(file).map { ($0.0, $0.1) }
    }

    /// The release's entries changed by `tamper`, written again; the verifier's error.
    func refusal(_ tamper: (inout [(String, Data?)]) throws -> Void) async throws -> ExportError? {
        try await withTemporaryDirectory { root in
            var entries = try release(in: root)
            try tamper(&entries)
            let bad = root.appendingPathComponent("bad.zip")
            try ExportFixture.write(entries, to: bad)
            return #expect(throws: ExportError.self) { try ReleaseVerifier().verify(bad) }
        }
    }

    func index(_ entries: [(String, Data?)], _ path: String) throws -> Int {
        try #require(entries.firstIndex { $0.0 == path })
    }

    @Test func releaseVerifiesAndUnpacks() async throws {
        try await withTemporaryDirectory { root in
            let identity = SpaceIdentity(privateKey: .init())
            _ = try release(in: root, identity: identity)
            let file = root.appendingPathComponent("good.zip")
            let manifest = try ReleaseVerifier().verify(file)
            #expect(manifest.version == "1.2.0" && manifest.publisher.fingerprint == identity.fingerprint)
            #expect(manifest.discoveryData == Discovery(title: "Site", body: "Hello"))
            #expect(manifest.files.map(\.path) == ["app/Discovery.md", "app/Spacefile", "app/icon.png", "app/public/index.html"])
            let target = root.appendingPathComponent("unpacked")
            _ = try ReleaseVerifier().unpack(file, into: target)
            #expect(try String(contentsOf: target.appendingPathComponent("public/index.html"), encoding: .utf8) == "<h1>hi</h1>")
        }
    }

    @Test func changedDiscoveryDataFailsTheSignature() async throws {
        let error = try await refusal { entries in
            let at = try index(entries, ReleaseManifest.path)
            let text = String(decoding: try #require(entries[at].1), as: UTF8.self)
            entries[at].1 = Data(text.replacingOccurrences(of: "\"title\" : \"Site\"", with: "\"title\" : \"Evil\"").utf8)
            #expect(entries[at].1 != Data(text.utf8))
        }
        #expect(error?.message.contains("signature") == true)
    }

    @Test func identityIsMadeOnceAndKeptPrivate() async throws {
        try await withTemporaryDirectory { root in
            let layout = DataLayout(root: root)
            let first = try SpaceIdentity.loadOrCreate(space: "default", in: layout)
            let again = try SpaceIdentity.loadOrCreate(space: "default", in: layout)
            #expect(first.fingerprint == again.fingerprint && first.fingerprint.count == 79)
            let file = SpaceIdentity.keyFile(space: "default", in: layout).path
            let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    @Test func versionsAreSemantic() {
        for good in ["1.2.0", "0.0.1", "10.20.30-rc.1+build.5", "1.0.0-alpha"] { #expect(ReleaseVersion.isValid(good)) }
        for bad in ["1.2", "01.2.0", "1.2.0-", "v1.2.0", "1.2.0-01", "1.2.0+", ""] { #expect(!ReleaseVersion.isValid(bad)) }
    }

    @Test func versionsOrderBySemverPrecedence() {
        // semver.org's own example chain, then core numbers compared as numbers.
        let chain = [
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",
            "1.0.0", "1.2.0", "1.10.0", "2.0.0",
        ]
        for (earlier, later) in zip(chain, chain.dropFirst()) {
            #expect(ReleaseVersion.precedes(earlier, later) == true, "\(earlier) < \(later)")
            #expect(ReleaseVersion.precedes(later, earlier) == false, "\(later) > \(earlier)")
        }
        #expect(ReleaseVersion.precedes("1.2.0+a", "1.2.0+b") == false)
        #expect(ReleaseVersion.precedes("1.2.0", "1.2.0") == false)
        #expect(ReleaseVersion.precedes("local-17", "1.2.0") == nil)
    }

    @Test func flippedByteInAFileIsRefused() async throws {
        let error = try await refusal { entries in
            let at = try index(entries, "app/public/index.html")
            entries[at].1![0] ^= 1
        }
        #expect(error?.message.contains("SHA-256") == true)
    }

    @Test func changedManifestFailsTheSignature() async throws {
        let error = try await refusal { entries in
            let at = try index(entries, "release.json")
            entries[at].1 = Data(String(decoding: entries[at].1!, as: UTF8.self).replacingOccurrences(of: "1.2.0", with: "1.2.1").utf8)
        }
        #expect(error?.message.contains("signature") == true)
    }

    @Test func signatureByAnotherKeyIsRefused() async throws {
        let error = try await refusal { entries in
            let manifest = entries[try index(entries, "release.json")].1!
            entries[try index(entries, "release.sig")].1 = try Curve25519.Signing.PrivateKey().signature(for: manifest)
        }
        #expect(error?.message.contains("signature") == true)
    }

    @Test func missingFileIsRefused() async throws {
        let error = try await refusal { entries in entries.remove(at: try index(entries, "app/icon.png")) }
        #expect(error?.message.contains("lacks") == true)
    }

    @Test func extraFileIsRefused() async throws {
        let error = try await refusal { entries in entries.append(("app/evil.sh", Data("rm -rf /".utf8))) }
        #expect(error?.message.contains("not in the signed manifest") == true)
    }

    @Test func pathTraversalIsRefused() async throws {
        let error = try await refusal { entries in entries.append(("app/../../etc/cron.d/x", Data("x".utf8))) }
        #expect(error?.message.contains("Unsafe entry path") == true)
    }

    @Test func missingSignatureIsRefused() async throws {
        let error = try await refusal { entries in entries.remove(at: try index(entries, "release.sig")) }
        #expect(error?.message.contains("release.sig") == true)
    }

    @Test func truncatedArchiveIsRefused() async throws {
        try await withTemporaryDirectory { root in
            _ = try release(in: root)
            let file = root.appendingPathComponent("good.zip")
            let data = try Data(contentsOf: file)
            try data.prefix(data.count * 2 / 3).write(to: file)
            #expect(throws: ExportError.self) { try ReleaseVerifier().verify(file) }
        }
    }
}
