import Foundation
import HearthBase
import HearthCore
import HearthRegistry
import HearthTesting
import Testing

/// Data written by the first storage format (Tests/Fixtures/data-v1, made with `hearth` v1)
/// must stay readable, with the same answers, by every later version.
@Suite struct StorageFormatTests {
    static let fixture = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/data-v1")

    @Test func readsTheV1DataDirectory() async throws {
        try await withTemporaryDirectory { root in
            let data = root.appendingPathComponent("data")
            try FileManager.default.copyItem(at: Self.fixture, to: data)
            let facts = try JSONParser.parse(Array(try Data(contentsOf: data.appendingPathComponent("fixture.json"))))
            let keyText = try #require(facts.objectValue?["data_key"]?.stringValue)
            let key = try #require(DataKey(parsing: keyText))

            let layout = DataLayout(root: data)
            let registry = try Registry(layout: layout)
            let collection = try #require(try await registry.authenticate(key))
            #expect(collection.name == "notes")
            #expect(try await registry.keys(collection: "notes").map(\.name) == ["default", "revoked"])
            #expect(try await registry.keys(collection: "notes")[1].revokedAt != nil)

            let store = try OpenCollections(layout: layout).base(collection)
            #expect(
                try await store.get(base: "notes", key: "n1")
                    == #"{"key":"n1","title":"hello","tags":["a","b"],"big":12345678901234567890,"nested":{"x":1.50}}"#)
            #expect(try await store.get(base: "notes", key: "gone") == nil)
            let page = try await store.query(
                base: "notes", QueryRequest(query: try QueryParser.parseQuery(try JSONParser.parse(#"{"tags?contains":"b"}"#))))
            #expect(page.items.count == 1)
        }
    }
}
