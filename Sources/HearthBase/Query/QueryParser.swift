import HearthCore

/// Turns the JSON of `POST /query` into a `QueryRequest`, enforcing the language's rules.
public enum QueryParser {
    /// Parses the whole request body. `query` may be absent, `null`, `[]`, `[{}]` or one object.
    public static func parseRequest(_ body: JSONValue) throws(BaseError) -> QueryRequest {
        guard case .object(let object) = body else { throw .bad("Request body must be a JSON object") }
        var request = QueryRequest()
        request.query = try parseQuery(object["query"] ?? .null)
        switch object["limit"] {
        case nil, .null?: break
        case .number(let number)?:
            guard let limit = number.int64Value else { throw .bad("limit must be an integer") }
            guard limit >= 1 else { throw .bad("limit must be at least 1") }
            // Any larger limit means "as many as fit": pages are bounded by bytes anyway.
            request.limit = Int(min(limit, Int64(Int32.max)))
        default: throw .bad("limit must be an integer")
        }
        switch object["last"] {
        case nil, .null?, .string("")?: break
        case .string(let last)?: request.last = last
        default: throw .bad("last must be a string")
        }
        switch object["sort"] {
        case nil, .null?, .string("")?, .string("asc")?: break
        case .string("desc")?: request.descending = true
        default: throw .bad("sort must be \"asc\" or \"desc\"")
        }
        return request
    }

    /// Parses the `query` value alone.
    public static func parseQuery(_ value: JSONValue) throws(BaseError) -> Query {
        let maps: [JSONObject]
        switch value {
        case .null: maps = []
        case .object(let object): maps = [object]
        case .array(let elements):
            maps = try elements.map { element throws(BaseError) in
                guard case .object(let object) = element else { throw BaseError.invalidQuery }
                return object
            }
        default: throw BaseError.invalidQuery
        }
        var branches: [[Condition]] = []
        var keyConditions: [KeyCondition?] = []
        for map in maps {
            var conditions: [Condition] = []
            var keyCondition: KeyCondition?
            for member in map.members {
                let (path, op) = try parseSelector(member.key)
                if path == "key" {
                    guard keyCondition == nil else { throw BaseError.invalidQuery }
                    keyCondition = try parseKeyCondition(op, member.value)
                } else {
                    try checkOperand(op, member.value)
                    conditions.append(Condition(path: FieldPath(path), op: op, value: member.value))
                }
            }
            branches.append(conditions)
            keyConditions.append(keyCondition)
        }
        // Either no branch has a key condition, or every branch has the same one.
        let first = keyConditions.first ?? nil
        guard keyConditions.allSatisfy({ $0 == first }) else { throw BaseError.invalidQuery }
        if branches.allSatisfy(\.isEmpty) { branches = [] }
        return Query(branches: branches, keyCondition: first)
    }

    /// Splits `path?op` into its path and resolved operator.
    static func parseSelector(_ selector: String) throws(BaseError) -> (String, Operator) {
        guard let mark = selector.firstIndex(of: "?") else {
            guard !selector.isEmpty else { throw BaseError.invalidQuery }
            return (selector, .equal)
        }
        let path = String(selector[..<mark])
        guard !path.isEmpty, let op = Operator(suffix: selector[selector.index(after: mark)...]) else {
            throw BaseError.invalidQuery
        }
        return (path, op)
    }

    private static func checkOperand(_ op: Operator, _ value: JSONValue) throws(BaseError) {
        switch op {
        case .equal, .notEqual: return
        case .less, .greater, .lessOrEqual, .greaterOrEqual:
            guard value.isComparable else { throw BaseError.invalidQuery }
        case .prefix:
            guard value.stringValue != nil else { throw BaseError.invalidQuery }
        case .range:
            guard case .array(let bounds) = value, bounds.count == 2, bounds[0].isComparable,
                bounds[0].typeName == bounds[1].typeName
            else { throw BaseError.invalidQuery }
        case .contains, .notContains:
            switch value {
            case .string, .number, .bool: return
            default: throw BaseError.invalidQuery
            }
        }
    }

    private static func parseKeyCondition(_ op: Operator, _ value: JSONValue) throws(BaseError) -> KeyCondition {
        if op == .range {
            guard case .array(let bounds) = value, bounds.count == 2,
                let low = bounds[0].stringValue, let high = bounds[1].stringValue
            else { throw BaseError.invalidQuery }
            return .range(low, high)
        }
        guard let string = value.stringValue else { throw BaseError.invalidQuery }
        switch op {
        case .equal: return .equal(string)
        case .notEqual: return .notEqual(string)
        case .less: return .less(string)
        case .lessOrEqual: return .lessOrEqual(string)
        case .greater: return .greater(string)
        case .greaterOrEqual: return .greaterOrEqual(string)
        case .prefix: return .prefix(string)
        case .range, .contains, .notContains: throw BaseError.invalidQuery
        }
    }
}

extension JSONValue {
    /// Numbers and strings are ordered; comparisons match only values of the same type.
    var isComparable: Bool {
        switch self {
        case .number, .string: true
        default: false
        }
    }
}
