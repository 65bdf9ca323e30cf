import HearthBase
import HearthCore
import Testing

@Suite struct QueryParserTests {
    func parse(_ text: String) throws -> Query {
        try QueryParser.parseQuery(try JSONParser.parse(text))
    }

    @Test(arguments: [
        ("value?ne", Operator.notEqual), ("value?lt", .less), ("value?<", .less), ("value?gt", .greater),
        ("value?>", .greater), ("value?lte", .lessOrEqual), ("value?<=", .lessOrEqual),
        ("value?gte", .greaterOrEqual), ("value?>=", .greaterOrEqual), ("value", .equal),
    ])
    func resolvesOperatorsAndAliases(_ selector: String, _ op: Operator) throws {
        let query = try parse(#"{"\#(selector)": 5}"#)
        #expect(query.branches == [[Condition(path: FieldPath("value"), op: op, value: 5)]])
    }

    @Test func acceptsEveryMatchAllForm() throws {
        for text in ["null", "[]", "[{}]", "{}", "[{},{}]"] {
            #expect(try parse(text) == .all)
        }
    }

    @Test func readsStringOperatorsAndNestedPaths() throws {
        let query = try parse(#"[{"name?pfx":"ab","tags?contains":"x"},{"a.b?not_contains":"y","n?r":[1,2],"m?range":["a","b"]}]"#)
        #expect(query.branches.count == 2)
        #expect(query.branches[0].map(\.op) == [.prefix, .contains])
        #expect(query.branches[1].map(\.op) == [.notContains, .range, .range])
        #expect(query.branches[1][0].path.segments == ["a", "b"])
    }

    /// The invalid queries of the official JS SDK's fetch tests, and the key-condition rules.
    @Test(arguments: [
        #"{"name?random":"x"}"#, #"{"name?":"x"}"#, #"{"?":"x"}"#, #"{"name??":"x"}"#, #"{"?gt":1}"#,
        #"{"name?pfx":12}"#, #"{"age?r":[]}"#, #"{"age?r":[21]}"#, #"{"age?r":21}"#, #"{"age?r":[1,"b"]}"#,
        #"{"age?gt":true}"#, #"{"age?lt":{"a":1}}"#, #"{"tags?contains":{"a":1}}"#,
        #"{"key?pfx":12}"#, #"{"key?>":12}"#, #"{"key?contains":"a"}"#, #"{"key?not_contains":"a"}"#,
        #"{"key":"a","key?>":"b"}"#, #"[{"key?<=":"a"},{"key":"a"}]"#, #"[{"key?<=":"a"},{"key?<=":"b"}]"#,
        #"[{"user_age":27},{"key?<=":"b"}]"#, #"[1]"#, #""text""#, #"5"#,
    ])
    func rejectsBadQueries(_ text: String) {
        #expect(throws: BaseError.invalidQuery) { try parse(text) }
    }

    @Test func sharesAnIdenticalKeyConditionAcrossBranches() throws {
        let query = try parse(#"[{"key?>=":"k1","a":1},{"key?>=":"k1","b":2}]"#)
        #expect(query.keyCondition == .greaterOrEqual("k1"))
        #expect(query.branches.count == 2)
    }

    @Test func readsPagingParametersInEveryClientSpelling() throws {
        let python = try QueryParser.parseRequest(try JSONParser.parse(#"{"limit":null,"last":null,"sort":""}"#))
        #expect(python == QueryRequest())
        let go = try QueryParser.parseRequest(try JSONParser.parse(#"{"query":null,"limit":5,"last":"k","sort":"desc"}"#))
        #expect(go == QueryRequest(query: .all, limit: 5, last: "k", descending: true))
        let huge = try QueryParser.parseRequest(try JSONParser.parse(#"{"limit":9223372036854775807}"#))
        #expect(huge.limit == Int(Int32.max))
        for bad in [#"{"limit":0}"#, #"{"limit":1.5}"#, #"{"limit":"5"}"#, #"{"sort":"up"}"#, #"{"last":3}"#, "[]"] {
            #expect(throws: BaseError.self) { try QueryParser.parseRequest(try JSONParser.parse(bad)) }
        }
    }
}

extension BaseError: Equatable {
    public static func == (lhs: BaseError, rhs: BaseError) -> Bool { lhs.code == rhs.code && lhs.message == rhs.message }
}
