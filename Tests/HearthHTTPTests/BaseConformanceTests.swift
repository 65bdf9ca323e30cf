import HearthCore
import HearthTesting
import Testing

/// Spec §1 and the §1.10 conformance vectors, as HTTP scenario tables against one seeded
/// collection. Each scenario checks status, JSON content type and body fragments.
@Suite struct BaseConformanceTests {
    static let seed = #"""
        {"items":[{"key":"existing1","value":"test"},{"key":"existing2","value":7},{"key":"existing3","value":44},
        {"key":"existing4","value":{"name":"patrick"}},{"key":"%@#//#!#)#$_","value":0,"list":["a"]}]}
        """#

    static let scenarios: [Scenario] = [
        Scenario("get existing", .get, "/items/existing2", status: 200, mustContain: [#"{"key":"existing2","value":7}"#]),
        Scenario("get encoded key", .get, "/items/%25%40%23%2F%2F%23%21%23%29%23%24_", status: 200, mustContain: [#""list":["a"]"#]),
        Scenario("get missing is exactly {key}", .get, "/items/nope", status: 404, mustContain: [#"{"key":"nope"}"#]),
        Scenario("delete missing still 200", .delete, "/items/nope", status: 200, mustContain: [#"{"key":"nope"}"#]),
        Scenario(
            "insert new", .post, "/items", body: #"{"item":{"key":"new1","msg":"hi"}}"#, status: 201,
            mustContain: [#"{"key":"new1","msg":"hi"}"#]),
        Scenario(
            "insert existing", .post, "/items", body: #"{"item":{"key":"existing1"}}"#, status: 409,
            mustContain: [#"{"errors":["Key already exists"]}"#]),
        Scenario("insert generates key", .post, "/items", body: #"{"item":{"msg":"x"}}"#, status: 201, mustContain: [#""key":""#]),
        Scenario(
            "update missing", .patch, "/items/nope", body: #"{"set":{"a":1}}"#, status: 404,
            mustContain: [#"{"errors":["Key not found"]}"#]),
        Scenario(
            "update echoes", .patch, "/items/existing3", body: #"{"increment":{"value":1},"set":{},"append":{},"prepend":{},"delete":[]}"#,
            status: 200, mustContain: [#""key":"existing3""#, #""increment":{"value":1}"#]),
        Scenario(
            "update nothing", .patch, "/items/existing3", body: #"{"set":{},"increment":{},"append":{},"prepend":{},"delete":[]}"#,
            status: 400, mustContain: [#"{"errors":["#]),
        Scenario(
            "query gte", .post, "/query", body: #"{"query":[{"value?gte":7}]}"#, status: 200,
            mustContain: [#"{"paging":{"size":2},"items":[{"key":"existing2","value":7},{"key":"existing3","value":44}]}"#]),
        Scenario(
            "query gte limit 1", .post, "/query", body: #"{"query":[{"value?gte":7}],"limit":1}"#, status: 200,
            mustContain: [#"{"paging":{"size":1,"last":"existing2"}"#]),
        Scenario(
            "query or limit 2", .post, "/query", body: #"{"query":[{"value?gt":6},{"value?lt":50}],"limit":2}"#, status: 200,
            mustContain: [#""paging":{"size":2,"last":"existing2"}"#, #"%@#//#!#)#$_"#]),
        Scenario(
            "query or after last", .post, "/query", body: #"{"query":[{"value?gt":6},{"value?lt":50}],"limit":2,"last":"existing2"}"#,
            status: 200, mustContain: [#"{"paging":{"size":1},"items":[{"key":"existing3""#]),
        Scenario(
            "query nested", .post, "/query", body: #"{"query":[{"value.name":"patrick"}]}"#, status: 200,
            mustContain: [#""size":1"#, "existing4"]),
        Scenario(
            "query no match", .post, "/query", body: #"{"query":[{"valuexyz":"x"}]}"#, status: 200,
            mustContain: [#"{"paging":{"size":0},"items":[]}"#]),
        Scenario(
            "query desc", .post, "/query", body: #"{"query":[{"value?gte":7}],"sort":"desc"}"#, status: 200,
            mustContain: [#"[{"key":"existing3","value":44},{"key":"existing2","value":7}]"#]),
        Scenario(
            "query Go null", .post, "/query", body: #"{"query":null,"limit":2}"#, status: 200,
            mustContain: [#""paging":{"size":2,"last":"existing1"}"#]),
        Scenario(
            "query JS empty", .post, "/query", body: #"{"query":[{}],"limit":1000,"last":"","sort":""}"#, status: 200,
            mustContain: [#""size":5"#]),
        Scenario(
            "query bad operator", .post, "/query", body: #"{"query":[{"name?random":"x"}]}"#, status: 400,
            mustContain: [#"{"errors":["Bad query"]}"#]),
        Scenario(
            "query key mismatch", .post, "/query", body: #"{"query":[{"key?<=":"a"},{"key":"a"}]}"#, status: 400,
            mustContain: [#"{"errors":["Bad query"]}"#]),
        Scenario(
            "query limit Int64.max", .post, "/query", body: #"{"limit":9223372036854775807}"#, status: 200,
            mustContain: [#"{"paging":{"size":5},"#]),
        Scenario("query limit 0", .post, "/query", body: #"{"limit":0}"#, status: 400, mustContain: [#"{"errors":["#]),
        Scenario("wrong method", .get, "/query", status: 405, mustContain: [#"{"errors":["#]),
    ]

    @Test(arguments: scenarios)
    func scenario(_ scenario: Scenario) async throws {
        try await TestNode.with { node in
            let (_, key) = try await node.createCollection()
            try await node.withClient { client in
                let seeded = try await client.base(.put, "/items", key: key, body: Self.seed)
                #expect(seeded.status == 207)
                let result = try await client.run(scenario, key: key)
                #expect(result.status == scenario.status, "\(result.body)")
                #expect(result.contentType == "application/json")
                for fragment in scenario.mustContain { #expect(result.body.contains(fragment), "\(result.body)") }
                for fragment in scenario.mustNotContain { #expect(!result.body.contains(fragment), "\(result.body)") }
            }
        }
    }

    @Test func putAnswers207WithProcessedAndEmptyFailed() async throws {
        try await TestNode.with { node in
            let (_, key) = try await node.createCollection()
            try await node.withClient { client in
                let result = try await client.base(.put, "/items", key: key, body: #"{"items":[{"name":"a","__expires":4102444800}]}"#)
                #expect(result.status == 207)
                let body = try JSONParser.parse(result.body)
                let processed = body.objectValue?["processed"]?.objectValue?["items"]?.arrayValue
                #expect(processed?.first?.objectValue?["key"]?.stringValue?.count == 12)
                #expect(processed?.first?.objectValue?["__expires"] == .number(JSONNumber(4_102_444_800)))
                #expect(JSONWriter.string(body.objectValue!["failed"]!) == #"{"items":[]}"#)
            }
        }
    }
}
