import HTTPTypes
import HearthCore
import HearthTesting
import Testing

/// Every way a data key can be wrong gives 401 with a body that reveals nothing, on Base and Drive.
@Suite struct BaseAuthTests {
    @Test func refusesMissingMalformedWrongAndForeignKeys() async throws {
        try await TestNode.with { node in
            let (a, keyA) = try await node.createCollection("a")
            let (b, keyB) = try await node.createCollection("b")
            try await node.withClient { client in
                #expect(
                    try await client.base(.put, "/items", key: keyB, body: #"{"items":[{"key":"secret-b","v":"b-data"}]}"#).status == 207)
                let attempts: [(DataKey?, String)] = [
                    (nil, b.id),
                    (DataKey(projectID: b.id, secret: "wrong"), b.id),
                    (DataKey(projectID: a.id, secret: keyB.secret), b.id),
                    (keyA, b.id),
                    (DataKey(projectID: b.id, secret: keyA.secret), b.id),
                    (DataKey(projectID: "nosuch", secret: keyB.secret), "nosuch"),
                ]
                #expect(try await client.base(.post, "/files?name=secret.txt", key: keyB, base: "files", body: "b-file").status == 201)
                let drive: [(HTTPRequest.Method, String)] = [
                    (.get, "/files"), (.get, "/files/download?name=secret.txt"), (.post, "/files?name=x"), (.delete, "/files"),
                    (.post, "/uploads?name=x"), (.post, "/uploads/u/parts?name=x&part=1"), (.patch, "/uploads/u?name=x"),
                    (.delete, "/uploads/u?name=x"),
                ]
                for (key, project) in attempts {
                    for (method, path) in drive {
                        let result = try await client.base(method, path, key: key, base: "files", body: "{}", projectID: project)
                        #expect(result.status == 401, "\(method) \(path)")
                        #expect(result.body == #"{"errors":["Unauthorized"]}"#)
                    }
                    for (method, path) in [(HTTPRequest.Method.get, "/items/secret-b"), (.post, "/query"), (.delete, "/items/secret-b")] {
                        let result = try await client.base(method, path, key: key, body: "{}", projectID: project)
                        #expect(result.status == 401)
                        #expect(result.body == #"{"errors":["Unauthorized"]}"#)
                    }
                }
                #expect(try await client.base(.get, "/items/secret-b", key: keyB).status == 200)
                #expect(try await client.base(.get, "/files/download?name=secret.txt", key: keyB, base: "files").body == "b-file")
            }
        }
    }

    @Test func revokedKeysStopWorkingAndOtherKeysGoOn() async throws {
        try await TestNode.with { node in
            let (collection, first) = try await node.createCollection()
            let (_, second) = try await node.services.registry.createKey(collection: collection.name, name: "second")
            try await node.withClient { client in
                #expect(try await client.base(.get, "/items/x", key: first).status == 404)
                try await node.services.registry.revokeKey(collection: collection.id, key: "default")
                #expect(try await client.base(.get, "/items/x", key: first).status == 401)
                #expect(try await client.base(.get, "/items/x", key: second).status == 404)
            }
        }
    }

    @Test func answersCORSPreflights() async throws {
        try await TestNode.with { node in
            try await node.withClient { client in
                let result = try await client.base(.options, "/items", key: nil, projectID: "any")
                #expect(result.status == 204)
            }
        }
    }
}
