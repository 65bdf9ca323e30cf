import Foundation
import HearthCore
import HearthRegistry
import HearthTesting
import Testing

@Suite struct ReleaseRecordsTests {
    func release(_ id: String, version: String, listed: Bool, discovery: Discovery? = nil) -> ReleaseInfo {
        ReleaseInfo(
            id: id, space: "default", instance: "i1", appName: "notes", version: version, notes: "", listed: listed,
            sha256: "00", fingerprint: "ab", createdAt: Date(timeIntervalSince1970: 1_700_000_000), discovery: discovery)
    }

    @Test func keepsTheDiscoveryDataOfEachRelease() async throws {
        try await withTemporaryDirectory { root in
            let registry = try Registry(layout: DataLayout(root: root))
            let discovery = Discovery(appName: "Notes", tagline: "Keep notes", themeColor: "#123abc", worksWith: ["md"], body: "# Hi")
            try await registry.recordRelease(
                release("a" + String(repeating: "1", count: 23), version: "1.0.0", listed: true, discovery: discovery))
            try await registry.recordRelease(release("b" + String(repeating: "2", count: 23), version: "1.1.0", listed: false))
            #expect(try await registry.release("a" + String(repeating: "1", count: 23))?.discovery == discovery)
            #expect(try await registry.release("b" + String(repeating: "2", count: 23))?.discovery == nil)
            #expect(try await registry.releases(listedOnly: true).map(\.version) == ["1.0.0"])
        }
    }
}
