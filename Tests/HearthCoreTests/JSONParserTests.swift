import HearthCore
import Testing

@Suite struct JSONParserTests {
    @Test(arguments: [
        #"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#,
        #"[]"#, #"{}"#, #""x""#, #"-0.5"#, #"1e3"#, #"12345678901234567890"#,
        #"{"s":"quote \" backslash \\ tab \t nl \n ctl \u0001 é 😀"}"#,
    ])
    func roundTripsCompactJSON(_ text: String) throws {
        let value = try JSONParser.parse(text)
        let written = JSONWriter.string(value)
        #expect(try JSONParser.parse(written) == value)
    }

    @Test func keepsNumberLiteralsAndMemberOrder() throws {
        let text = #"{"z":12345678901234567890,"a":1.50,"m":-0}"#
        #expect(JSONWriter.string(try JSONParser.parse(text)) == text)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try JSONParser.parse(#""\u00e9\ud83d\ude00\/""#) == .string("é😀/"))
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":}", "{'a':1}", "01", "1.", "-", "1e", "tru", "nul", "\"abc",
        "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"a\u{01}b\"", "1 2", "{\"a\":1}x", "NaN", "Infinity",
        "1e999", "-1e400",
    ])
    func rejectsInvalidDocuments(_ text: String) {
        #expect(throws: CoreError.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: CoreError.self) { try JSONParser.parse([0x22, 0xFF, 0xFE, 0x22]) }
    }

    @Test func limitsNestingWithoutExhaustingTheStack() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: CoreError.self) { try JSONParser.parse(deep) }
        let allowed = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(try JSONParser.parse(allowed).depth == 64)
    }

    @Test func deepEqualityIgnoresMemberOrderAndNumberSpelling() throws {
        let a = try JSONParser.parse(#"{"x":1,"y":[1,{"k":2}]}"#)
        let b = try JSONParser.parse(#"{"y":[1.0,{"k":2e0}],"x":1}"#)
        #expect(a.deepEquals(b))
        #expect(!a.deepEquals(try JSONParser.parse(#"{"x":1,"y":[1,{"k":3}]}"#)))
    }

    @Test func largeObjectsKeepOrderAndLetTheLastDuplicateWin() throws {
        let members = (0..<50_000).map { #""f\#($0)":\#($0)"# } + [#""f7":"again""#]
        guard case .object(var object) = try JSONParser.parse("{" + members.joined(separator: ",") + "}") else {
            Issue.record("not an object")
            return
        }
        #expect(object.count == 50_000)
        #expect(object["f7"] == "again")
        #expect(object.keys[7] == "f7" && object.keys[49_999] == "f49999")
        object["f3"] = nil
        #expect(object["f4"] == 4 && object["f3"] == nil && object.keys[3] == "f4")
        object["new"] = true
        #expect(object.keys.last == "new" && object["new"] == true)
    }
}
