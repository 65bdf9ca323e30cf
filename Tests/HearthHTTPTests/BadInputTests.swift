import HearthCore
import HearthTesting
import Testing

/// Bad input gets a clear 4xx JSON error, never a 500, and writes nothing.
@Suite struct BadInputTests {
    static let deep = String(repeating: #"{"a":"#, count: 5000) + "1" + String(repeating: "}", count: 5000)
    static let bigValue = String(repeating: "x", count: 410 * 1024)

    static let scenarios: [Scenario] = [
        Scenario("malformed JSON", .put, "/items", body: #"{"items":[{"key":"w1""#, status: 400),
        Scenario("not JSON at all", .put, "/items", body: "hello", status: 400),
        Scenario("empty body", .put, "/items", body: "", status: 400),
        Scenario("items not a list", .put, "/items", body: #"{"items":{"key":"w1"}}"#, status: 400),
        Scenario("no items", .put, "/items", body: #"{"items":[]}"#, status: 400),
        Scenario("non-object item", .put, "/items", body: #"{"items":[{"key":"w1"},"text"]}"#, status: 400),
        Scenario("integer key", .put, "/items", body: #"{"items":[{"key":"w1"},{"key":5}]}"#, status: 400),
        Scenario("boolean key", .put, "/items", body: #"{"items":[{"key":"w1"},{"key":true}]}"#, status: 400),
        Scenario(
            "26 items", .put, "/items", body: #"{"items":["# + (0..<26).map { #"{"key":"w\#($0)"}"# }.joined(separator: ",") + "]}",
            status: 400),
        Scenario("duplicate keys", .put, "/items", body: #"{"items":[{"key":"w1"},{"key":"w1"}]}"#, status: 400),
        Scenario("item over 400 KB", .put, "/items", body: #"{"items":[{"key":"w1","v":"\#(bigValue)"}]}"#, status: 400),
        Scenario("nesting 5000 deep", .put, "/items", body: #"{"items":[{"key":"w1","v":\#(deep)}]}"#, status: 400),
        Scenario("huge number", .put, "/items", body: #"{"items":[{"key":"w1","v":1e999}]}"#, status: 400),
        Scenario("text __expires", .put, "/items", body: #"{"items":[{"key":"w1","__expires":"tomorrow"}]}"#, status: 400),
        Scenario("key too long", .put, "/items", body: #"{"items":[{"key":"\#(String(repeating: "k", count: 1025))"}]}"#, status: 400),
        Scenario("insert without item", .post, "/items", body: #"{"key":"w1"}"#, status: 400),
        Scenario("insert integer key", .post, "/items", body: #"{"item":{"key":1}}"#, status: 400),
        Scenario("unknown update op", .patch, "/items/existing", body: #"{"rename":{"a":"b"}}"#, status: 400),
        Scenario("update sets key", .patch, "/items/existing", body: #"{"set":{"key":"w1"}}"#, status: 400),
        Scenario("update parent missing", .patch, "/items/existing", body: #"{"set":{"user.age":22}}"#, status: 400),
        Scenario("update increments text", .patch, "/items/existing", body: #"{"increment":{"name":1}}"#, status: 400),
        Scenario("update appends scalar", .patch, "/items/existing", body: #"{"append":{"list":"x"}}"#, status: 400),
        Scenario("update set and delete", .patch, "/items/existing", body: #"{"set":{"name":"b"},"delete":["name"]}"#, status: 400),
        Scenario("query not an object", .post, "/query", body: "[1,2]", status: 400),
        Scenario("query limit text", .post, "/query", body: #"{"limit":"10"}"#, status: 400),
        Scenario("query sort sideways", .post, "/query", body: #"{"sort":"sideways"}"#, status: 400),
        Scenario("query pfx number", .post, "/query", body: #"{"query":[{"name?pfx":12}]}"#, status: 400),
        Scenario("query r one bound", .post, "/query", body: #"{"query":[{"n?r":[21]}]}"#, status: 400),
        Scenario("wrong method on items", .delete, "/items", status: 405),
        Scenario("wrong method on item", .post, "/items/existing", body: "{}", status: 405),
        Scenario("unknown route", .get, "/nothing", status: 404),
    ]

    @Test(arguments: scenarios)
    func isRefusedAndChangesNothing(_ scenario: Scenario) async throws {
        try await TestNode.with { node in
            let (_, key) = try await node.createCollection()
            try await node.withClient { client in
                let existing = #"{"key":"existing","name":"a","list":[]}"#
                #expect(try await client.base(.put, "/items", key: key, body: #"{"items":[\#(existing)]}"#).status == 207)
                let result = try await client.run(scenario, key: key)
                #expect(result.status == scenario.status, "\(result.body.prefix(200))")
                #expect(result.contentType == "application/json")
                let errors = try JSONParser.parse(result.body).objectValue?["errors"]?.arrayValue
                #expect(errors?.first?.stringValue?.isEmpty == false)
                let all = try await client.base(.post, "/query", key: key, body: "{}")
                #expect(all.body == #"{"paging":{"size":1},"items":[\#(existing)]}"#)
            }
        }
    }

    @Test func oversizeBodiesAreRefusedWithoutReadingThemWhole() async throws {
        var limits = BaseLimits()
        limits.maxRequestBytes = 1024
        try await TestNode.with(limits: limits) { node in
            let (_, key) = try await node.createCollection()
            try await node.withClient { client in
                let body = #"{"items":[{"key":"a","v":"\#(String(repeating: "x", count: 4096))"}]}"#
                let result = try await client.base(.put, "/items", key: key, body: body)
                #expect(result.status == 400)
                #expect(result.body.contains("larger than"))
            }
        }
    }
}
