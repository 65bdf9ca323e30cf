import HearthBase
import HearthCore
import Testing

@Suite struct UpdateTests {
    func update(_ fields: String, _ body: String) throws -> String {
        let request = try UpdateRequest(parsing: try JSONParser.parse(body))
        guard case .object(let object) = try JSONParser.parse(fields) else { throw CoreError(CoreError.badJSON, "not an object") }
        return JSONWriter.string(.object(try request.apply(to: object)))
    }

    /// The worked example of Deta's HTTP API docs.
    @Test func appliesTheDocumentedExample() throws {
        let before =
            #"{"profile":{"age":32,"active":false,"hometown":"pittsburgh"},"on_mobile":true,"likes":["anime"],"dislikes":["comedy"],"purchases":1}"#
        let after = try update(
            before,
            #"""
            {"set":{"profile.age":33,"profile.active":true,"profile.email":"jimmy@deta.sh"},
             "increment":{"purchases":2},"append":{"likes":["ramen"]},"prepend":{"dislikes":["action"]},
             "delete":["profile.hometown","on_mobile"]}
            """#)
        #expect(
            after
                == #"{"profile":{"age":33,"active":true,"email":"jimmy@deta.sh"},"likes":["anime","ramen"],"dislikes":["action","comedy"],"purchases":3}"#
        )
    }

    /// The Python SDK's `test_update` sequences (spec §1.10).
    @Test func followsTheSDKTestSequences() throws {
        var item = #"{"value":{"name":"patrick"}}"#
        item = try update(item, #"{"set":{"value.name":"spongebob"}}"#)
        item = try update(item, #"{"delete":["value.name"],"set":{"value.age":32}}"#)
        #expect(item == #"{"value":{"age":32}}"#)

        var other = #"{"value":0,"list":["a"]}"#
        other = try update(other, #"{"append":{"list":["b","c"]},"increment":{"value":1}}"#)
        other = try update(other, #"{"prepend":{"list":["x"]},"increment":{"value":2}}"#)
        #expect(other == #"{"value":3,"list":["x","a","b","c"]}"#)
    }

    @Test func createsMissingTargetsAndIgnoresMissingDeletes() throws {
        #expect(
            try update("{}", #"{"increment":{"n":-2},"append":{"l":[1]},"prepend":{"p":[2]},"delete":["nope","a.b"]}"#)
                == #"{"n":-2,"l":[1],"p":[2]}"#)
        #expect(try update(#"{"f":1.5}"#, #"{"increment":{"f":1}}"#) == #"{"f":2.5}"#)
        #expect(try update(#"{"big":9223372036854775807}"#, #"{"increment":{"big":1}}"#) == #"{"big":9.223372036854776e+18}"#)
    }

    @Test(arguments: [
        #"{}"#, #"{"set":{},"increment":{},"append":{},"prepend":{},"delete":[]}"#,
        #"{"set":{"key":"x"}}"#, #"{"delete":["key"]}"#, #"{"append":{"key":["x"]}}"#,
        #"{"set":{"a":1},"delete":["a"]}"#, #"{"set":{"a":{"b":1}},"increment":{"a.b":1}}"#,
        #"{"set":{"n.b":1,"z":2,"m":3},"delete":["n"]}"#,
        #"{"set":{"user.age":22}}"#, #"{"increment":{"s":1}}"#, #"{"increment":{"n":"1"}}"#,
        #"{"append":{"n":[1]}}"#, #"{"append":{"l":"x"}}"#, #"{"replace":{"a":1}}"#, #"{"set":[1]}"#,
        #"{"delete":"a"}"#, #"[]"#,
    ])
    func rejectsInvalidUpdates(_ body: String) {
        #expect(throws: BaseError.self) { try update(#"{"s":"text","n":1,"l":[]}"#, body) }
    }

    @Test func acceptsWideUpdatesOfManyDistinctPaths() throws {
        let paths = (0..<20_000).map { #""p\#($0)":\#($0)"# }.joined(separator: ",")
        let result = try JSONParser.parse(try update("{}", #"{"set":{\#(paths)},"delete":["p"]}"#))
        #expect(result.objectValue?.count == 20_000)
        #expect(result.objectValue?["p19999"] == 19_999)
    }
}
