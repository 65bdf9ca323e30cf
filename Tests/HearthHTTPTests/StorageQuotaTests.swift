import HTTPTypes
import HearthCore
import HearthRegistry
import HearthTesting
import HummingbirdTesting
import Testing

/// An instance's storage quota (`hearth app limits NAME --storage 1M`) over the Deta APIs:
/// writes that would cross it get 507 with Deta's error body; reads and deletes go on.
@Suite struct StorageQuotaTests {
    static let full = #"{"errors":["The collection's storage quota is full"]}"#

    /// An item of about `bytes` bytes, as a PUT body.
    static func put(_ key: String, bytes: Int) -> String {
        #"{"items":[{"key":"\#(key)","text":"\#(String(repeating: "x", count: bytes))"}]}"#
    }

    @Test func writesOverTheQuotaAreRefusedWhileReadsAndDeletesWork() async throws {
        try await TestNode.with { node in
            let registry = node.services.registry
            let (instance, key) = try await registry.createInstance(appName: "Notes", preferredSlug: "notes", source: "/src", version: "1")
            var limits = InstanceLimitOverrides()
            limits.storageBytes = 1 << 20
            try await registry.setLimits(instance: instance.id, limits)
            try await node.withClient { client in
                var stored: [String] = []
                var refused: ScenarioResult?
                for index in 0..<10 {
                    let result = try await client.base(.put, "/items", key: key, body: Self.put("k\(index)", bytes: 200_000))
                    if result.status == 507 {
                        refused = result
                        break
                    }
                    #expect(result.status == 207)
                    stored.append("k\(index)")
                }
                let refusal = try #require(refused, "a 1 MiB quota holds fewer than ten 200 kB items")
                #expect(refusal.body == Self.full)
                #expect(refusal.contentType == "application/json")
                #expect(stored.count >= 2)

                let insert = try await client.base(
                    .post, "/items", key: key, body: #"{"item":{"key":"big","text":"\#(String(repeating: "y", count: 300_000))"}}"#)
                #expect(insert.status == 507 && insert.body == Self.full)
                let upload = try await client.base(
                    .post, "/files?name=big.bin", key: key, base: "files", body: String(repeating: "z", count: 400_000))
                #expect(upload.status == 507 && upload.body == Self.full)
                #expect(try await client.base(.get, "/files?prefix=big", key: key, base: "files").body == #"{"names":[]}"#)

                // Reads and deletes still work, and deleting makes room again.
                #expect(try await client.base(.get, "/items/\(stored[0])", key: key).status == 200)
                #expect(try await client.base(.post, "/query", key: key, body: "{}").status == 200)
                #expect(try await client.base(.delete, "/items/\(stored[0])", key: key).status == 200)
                #expect(try await client.base(.delete, "/items/\(stored[1])", key: key).status == 200)
                #expect(try await client.base(.put, "/items", key: key, body: Self.put("again", bytes: 200_000)).status == 207)
            }
        }
    }

    @Test func collectionsOfNoInstanceHaveNoStorageQuota() async throws {
        try await TestNode.with { node in
            let (_, key) = try await node.createCollection()
            try await node.withClient { client in
                for index in 0..<8 {
                    let result = try await client.base(.put, "/items", key: key, body: Self.put("k\(index)", bytes: 200_000))
                    #expect(result.status == 207)
                }
            }
        }
    }
}
