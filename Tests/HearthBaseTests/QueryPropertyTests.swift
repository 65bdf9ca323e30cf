import Foundation
import HearthBase
import HearthCore
import HearthTesting
import PropertyBased
import Testing

/// Random items and random queries: what the store returns (SQL, page by page) must equal
/// what a small in-memory reference evaluator selects.
@Suite struct QueryPropertyTests {
    @Test func storeQueriesAgreeWithTheReferenceEvaluator() async throws {
        try await withTemporaryDirectory { directory in
            let store = try BaseStore(file: directory.appendingPathComponent("p.sqlite"))
            await propertyCheck(count: 400, input: Gen.uint64(in: 0...UInt64.max)) { seed in
                var random = SplitMix(seed: seed)
                let base = "b\(seed)"
                let items = (0..<random.int(5...30)).map { Reference.item(index: $0, &random) }
                _ = try await store.put(base: base, values: Array(items.prefix(25)).map(JSONValue.object))
                if items.count > 25 { _ = try await store.put(base: base, values: Array(items.dropFirst(25)).map(JSONValue.object)) }

                let queryJSON = Reference.query(&random)
                let query = try QueryParser.parseQuery(queryJSON)
                let descending = random.int(0...1) == 1
                let expected = items.filter { Reference.matches($0, queryJSON) }.map { $0["key"]!.stringValue! }
                    .sorted { descending ? $1.utf8.lexicographicallyPrecedes($0.utf8) : $0.utf8.lexicographicallyPrecedes($1.utf8) }

                let limit = random.int(1...7)
                var collected: [String] = [], last: String?, pages = 0
                repeat {
                    let page = try await store.query(
                        base: base, QueryRequest(query: query, limit: limit, last: last, descending: descending))
                    collected += try page.items.map { try JSONParser.parse($0).objectValue!["key"]!.stringValue! }
                    #expect(page.items.count <= limit)
                    #expect((page.last != nil) == (collected.count < expected.count), "last must be set iff more matches exist")
                    last = page.last
                    pages += 1
                } while last != nil && pages < 50
                #expect(collected == expected, "query \(JSONWriter.string(queryJSON))")
            }
        }
    }
}

/// A deterministic generator so each property case is reproducible from its seed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func pick<T>(_ options: [T]) -> T { options[int(0...(options.count - 1))] }
}

/// The reference: items and queries built from small domains, and a direct evaluator written
/// from the spec, independent of the store's SQL and of `Query.matches`.
enum Reference {
    static let fields = ["a", "b", "n.x"]
    static let strings = ["", "a", "ab", "b", "ba", "é", "abc"]

    static func scalar(_ random: inout SplitMix) -> JSONValue {
        switch random.int(0...5) {
        case 0, 1: .number(JSONNumber(random.int(-1...2)))
        case 2: .number(JSONNumber(Double(random.int(-2...4)) / 2)!)
        case 3, 4: .string(random.pick(strings))
        default: random.pick([.bool(true), .bool(false), .null])
        }
    }

    static func value(_ random: inout SplitMix) -> JSONValue {
        switch random.int(0...6) {
        case 0: .array((0..<random.int(0...3)).map { _ in .string(random.pick(strings)) })
        case 1: .array([.number(JSONNumber(random.int(0...2)))])
        default: scalar(&random)
        }
    }

    static func item(index: Int, _ random: inout SplitMix) -> JSONObject {
        var object = JSONObject([(key: "key", value: .string(random.pick(["k", "K", "é", "k/"]) + String(index)))])
        if random.int(0...3) > 0 { object["a"] = value(&random) }
        if random.int(0...3) > 0 { object["b"] = value(&random) }
        if random.int(0...2) > 0 { object["n"] = .object(JSONObject([(key: "x", value: value(&random))])) }
        return object
    }

    static func condition(_ random: inout SplitMix) -> (String, JSONValue) {
        let field = random.pick(fields)
        switch random.int(0...11) {
        case 0: return (field, value(&random))
        case 10, 11: return ("\(field)?\(random.pick(["lt", "lte", "gt", "gte"]))", comparable(&random))
        case 1: return ("\(field)?ne", value(&random))
        case 2: return ("\(field)?\(random.pick(["lt", "<", "lte", "<=", "gt", ">", "gte", ">="]))", comparable(&random))
        case 3: return ("\(field)?pfx", .string(random.pick(strings)))
        case 4:
            let low = comparable(&random)
            let high: JSONValue = low.stringValue != nil ? .string(random.pick(strings)) : .number(JSONNumber(random.int(-1...3)))
            return ("\(field)?r", .array([low, high]))
        case 5: return ("\(field)?contains", .string(random.pick(strings)))
        case 6: return ("\(field)?not_contains", .string(random.pick(strings)))
        case 7: return ("\(field)?contains", .number(JSONNumber(random.int(0...2))))
        default: return (field, scalar(&random))
        }
    }

    static func comparable(_ random: inout SplitMix) -> JSONValue {
        random.int(0...1) == 0 ? .number(JSONNumber(random.int(-1...2))) : .string(random.pick(strings))
    }

    static func query(_ random: inout SplitMix) -> JSONValue {
        let key: (String, JSONValue)? =
            random.int(0...3) == 0
            ? random.pick([("key?pfx", .string("k")), ("key?>", .string("k1")), ("key?r", .array(["K", "k5"]))]) : nil
        return .array(
            (0..<random.int(1...3)).map { _ in
                var map = JSONObject(
                    (0..<random.int(0...3)).map { _ in
                        let (k, v) = condition(&random); return (key: k, value: v)
                    })
                if let key { map[key.0] = key.1 }
                return .object(map)
            })
    }

    // MARK: Evaluation

    static func matches(_ item: JSONObject, _ query: JSONValue) -> Bool {
        query.arrayValue!.contains { map in
            map.objectValue!.members.allSatisfy { holds(item, $0.key, $0.value) }
        }
    }

    static func lookup(_ item: JSONObject, _ path: String) -> JSONValue? {
        var current: JSONValue? = .object(item)
        for part in path.split(separator: ".") { current = current?.objectValue?[String(part)] }
        return current
    }

    static func holds(_ item: JSONObject, _ selector: String, _ operand: JSONValue) -> Bool {
        let parts = selector.split(separator: "?", maxSplits: 1).map(String.init)
        let actual = lookup(item, parts[0])
        switch parts.count == 2 ? parts[1] : "" {
        case "": return equal(actual, operand)
        case "ne": return !equal(actual, operand)
        case "lt", "<": return order(actual, operand).map { $0 < 0 } ?? false
        case "lte", "<=": return order(actual, operand).map { $0 <= 0 } ?? false
        case "gt", ">": return order(actual, operand).map { $0 > 0 } ?? false
        case "gte", ">=": return order(actual, operand).map { $0 >= 0 } ?? false
        case "pfx": return (actual?.stringValue).map { Array($0.utf8).starts(with: Array(operand.stringValue!.utf8)) } ?? false
        case "r":
            let bounds = operand.arrayValue!
            return (order(actual, bounds[0]).map { $0 >= 0 } ?? false) && (order(actual, bounds[1]).map { $0 <= 0 } ?? false)
        case "contains": return contains(actual, operand)
        case "not_contains": return !contains(actual, operand)
        default: fatalError("the generator made an unknown operator")
        }
    }

    static func equal(_ a: JSONValue?, _ b: JSONValue) -> Bool {
        guard let a else { return false }
        switch (a, b) {
        case (.number(let x), .number(let y)): return x.doubleValue == y.doubleValue
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        default: return a == b
        }
    }

    static func order(_ a: JSONValue?, _ b: JSONValue) -> Int? {
        switch (a, b) {
        case (.number(let x)?, .number(let y)): return x.doubleValue < y.doubleValue ? -1 : (x.doubleValue == y.doubleValue ? 0 : 1)
        case (.string(let x)?, .string(let y)):
            return Array(x.utf8) == Array(y.utf8) ? 0 : (x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1)
        default: return nil
        }
    }

    static func contains(_ a: JSONValue?, _ needle: JSONValue) -> Bool {
        switch (a, needle) {
        case (.string(let s)?, .string(let n)):
            return n.isEmpty
                || s.utf8.count >= n.utf8.count
                    && (0...(s.utf8.count - n.utf8.count)).contains { Array(s.utf8).dropFirst($0).starts(with: Array(n.utf8)) }
        case (.array(let list)?, _): return list.contains { equal($0, needle) }
        default: return false
        }
    }
}
