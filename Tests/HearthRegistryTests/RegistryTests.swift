import Foundation
import HearthCore
import HearthRegistry
import HearthTesting
import Testing

@Suite struct RegistryTests {
    func withRegistry(_ body: (Registry, URL) async throws -> Void) async throws {
        try await withTemporaryDirectory { root in
            try await body(try Registry(layout: DataLayout(root: root)), root)
        }
    }

    @Test func createsCollectionsWithAWorkingFirstKey() async throws {
        try await withRegistry { registry, _ in
            let (collection, key) = try await registry.createCollection(name: "notes")
            #expect(key.projectID == collection.id)
            #expect(collection.path == "spaces/default/collections/\(collection.id)")
            #expect(try await registry.authenticate(key) == collection)
            #expect(try await registry.collection("notes") == collection)
            #expect(try await registry.collection(collection.id) == collection)
            #expect(try await registry.collections().map(\.name) == ["notes"])
        }
    }

    @Test func storesOnlyAHashOfEachSecret() async throws {
        try await withRegistry { registry, root in
            let (_, key) = try await registry.createCollection(name: "notes")
            let file = try Data(contentsOf: root.appendingPathComponent("node.sqlite"))
            let wal = (try? Data(contentsOf: root.appendingPathComponent("node.sqlite-wal"))) ?? Data()
            #expect(file.range(of: Data(key.secret.utf8)) == nil)
            #expect(wal.range(of: Data(key.secret.utf8)) == nil)
            #expect(file.range(of: Data(Secrets.hash(key.secret).utf8)) != nil || wal.range(of: Data(Secrets.hash(key.secret).utf8)) != nil)
        }
    }

    @Test func refusesDuplicateAndInvalidNames() async throws {
        try await withRegistry { registry, _ in
            _ = try await registry.createCollection(name: "notes")
            await #expect(throws: RegistryError.self) { try await registry.createCollection(name: "notes") }
            for bad in ["", "has space", "slash/name", String(repeating: "n", count: 65), "../up"] {
                await #expect(throws: RegistryError.self) { try await registry.createCollection(name: bad) }
            }
            await #expect(throws: RegistryError.self) { try await registry.createKey(collection: "notes", name: "default") }
            await #expect(throws: RegistryError.self) { try await registry.createKey(collection: "missing", name: "k") }
        }
    }

    @Test func keysAreScopedToTheirCollectionAndRevocable() async throws {
        try await withRegistry { registry, _ in
            let (a, keyA) = try await registry.createCollection(name: "a")
            let (b, _) = try await registry.createCollection(name: "b")
            #expect(try await registry.authenticate(DataKey(projectID: b.id, secret: keyA.secret)) == nil)
            #expect(try await registry.authenticate(DataKey(projectID: a.id, secret: "guess")) == nil)
            let (info, second) = try await registry.createKey(collection: "a", name: "phone")
            #expect(info.hint == String(second.secret.prefix(4)))
            try await registry.revokeKey(collection: "a", key: "default")
            #expect(try await registry.authenticate(keyA) == nil)
            #expect(try await registry.authenticate(second) == a)
            await #expect(throws: RegistryError.self) { try await registry.revokeKey(collection: "a", key: "default") }
            let keys = try await registry.keys(collection: "a")
            #expect(keys.map(\.name) == ["default", "phone"])
            #expect(keys[0].revokedAt != nil && keys[1].revokedAt == nil)
            _ = try await registry.createKey(collection: "a", name: "default")
        }
    }

    @Test func reopensExistingDataAndSharesItAcrossHandles() async throws {
        try await withTemporaryDirectory { root in
            let first = try Registry(layout: DataLayout(root: root))
            let (collection, key) = try await first.createCollection(name: "notes")
            #expect(try await first.authenticate(key) == collection)
            let second = try Registry(layout: DataLayout(root: root))
            #expect(try await second.authenticate(key) == collection)
            try await second.revokeKey(collection: "notes", key: "default")
            #expect(try await first.authenticate(key) == nil, "a change by another handle must reach a cached answer")
            let (_, newKey) = try await second.createKey(collection: "notes", name: "again")
            #expect(try await first.authenticate(newKey) == collection)
        }
    }
}
