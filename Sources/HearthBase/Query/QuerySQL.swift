import GRDB
import HearthCore

/// The SQL for one page of a query: the key range and every condition SQLite can decide go
/// into the WHERE clause. A condition it cannot decide exactly (deep equality on objects or
/// arrays, unquotable paths) becomes `1` there and is checked in Swift on the rows that remain.
struct QuerySQL {
    var sql: String
    var arguments: StatementArguments
    /// Whether rows must still be checked with `Query.matches`.
    var needsExactCheck: Bool

    init(_ request: QueryRequest, baseID: Int64, now: Double, rowLimit: Int?) {
        var clauses = ["base = ?", "(expires IS NULL OR expires > ?)"]
        var arguments: StatementArguments = [baseID, now]
        if let last = request.last {
            clauses.append(request.descending ? "key < ?" : "key > ?")
            arguments += [last]
        }
        if let keyCondition = request.query.keyCondition {
            let (clause, values) = Self.keyClause(keyCondition)
            clauses.append(clause)
            arguments += StatementArguments(values)
        }
        var exact = true
        if !request.query.branches.isEmpty {
            let branches = request.query.branches.map { branch -> String in
                guard !branch.isEmpty else { return "1" }
                return branch.map { condition -> String in
                    guard let (clause, values) = Self.clause(condition) else {
                        exact = false
                        return "1"
                    }
                    arguments += StatementArguments(values)
                    return "(\(clause))"
                }.joined(separator: " AND ")
            }
            clauses.append("(" + branches.map { "(\($0))" }.joined(separator: " OR ") + ")")
        }
        var sql = "SELECT key, doc FROM items WHERE " + clauses.joined(separator: " AND ")
        sql += request.descending ? " ORDER BY key DESC" : " ORDER BY key ASC"
        if exact, let rowLimit {
            sql += " LIMIT ?"
            arguments += [rowLimit]
        }
        self.sql = sql
        self.arguments = arguments
        self.needsExactCheck = !exact
    }

    private static func keyClause(_ condition: KeyCondition) -> (String, [any DatabaseValueConvertible]) {
        switch condition {
        case .equal(let value): return ("key = ?", [value])
        case .notEqual(let value): return ("key <> ?", [value])
        case .less(let value): return ("key < ?", [value])
        case .lessOrEqual(let value): return ("key <= ?", [value])
        case .greater(let value): return ("key > ?", [value])
        case .greaterOrEqual(let value): return ("key >= ?", [value])
        case .range(let low, let high): return ("key BETWEEN ? AND ?", [low, high])
        case .prefix(let value):
            guard let upper = value.prefixUpperBound else { return ("key >= ?", [value]) }
            return ("key >= ? AND key < ?", [value, upper])
        }
    }

    /// The SQL for one condition, or `nil` if SQLite cannot decide it exactly.
    private static func clause(_ condition: Condition) -> (String, [any DatabaseValueConvertible])? {
        guard let path = condition.path.sqlitePath else { return nil }
        switch condition.op {
        case .equal:
            return equality(path, condition.value)
        case .notEqual:
            return equality(path, condition.value).map { ("NOT IFNULL((\($0.0)), 0)", $0.1) }
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let symbol = ["lt": "<", "lte": "<=", "gt": ">", "gte": ">="][condition.op.rawValue]!
            guard let (typeTest, operand) = typed(path, condition.value) else { return nil }
            return ("\(typeTest) AND json_extract(doc, ?) \(symbol) ?", [path, path, operand])
        case .prefix:
            guard let prefix = condition.value.stringValue else { return nil }
            return (
                "json_type(doc, ?) = 'text' AND substr(json_extract(doc, ?), 1, length(?)) = ?",
                [path, path, prefix, prefix]
            )
        case .range:
            guard case .array(let bounds) = condition.value, bounds.count == 2,
                let (typeTest, low) = typed(path, bounds[0]), let (_, high) = typed(path, bounds[1])
            else { return nil }
            return ("\(typeTest) AND json_extract(doc, ?) BETWEEN ? AND ?", [path, path, low, high])
        case .contains:
            return containment(path, condition.value)
        case .notContains:
            return containment(path, condition.value).map { ("NOT IFNULL((\($0.0)), 0)", $0.1) }
        }
    }

    private static func equality(_ path: String, _ value: JSONValue) -> (String, [any DatabaseValueConvertible])? {
        switch value {
        case .null: return ("json_type(doc, ?) = 'null'", [path])
        case .bool(let bool): return ("json_type(doc, ?) = '\(bool ? "true" : "false")'", [path])
        case .number, .string:
            guard let (typeTest, operand) = typed(path, value) else { return nil }
            return ("\(typeTest) AND json_extract(doc, ?) = ?", [path, path, operand])
        case .array, .object: return nil
        }
    }

    /// A type test (with one `?` for the path) matching `value`'s JSON type, and `value` as an
    /// SQL operand.
    private static func typed(_ path: String, _ value: JSONValue) -> (String, any DatabaseValueConvertible)? {
        switch value {
        case .string(let string): return ("json_type(doc, ?) = 'text'", string)
        case .number(let number):
            return ("json_type(doc, ?) IN ('integer', 'real')", number.int64Value ?? number.doubleValue)
        default: return nil
        }
    }

    private static func containment(_ path: String, _ value: JSONValue) -> (String, [any DatabaseValueConvertible])? {
        let member = "EXISTS (SELECT 1 FROM json_each(doc, ?) WHERE "
        switch value {
        case .string(let string):
            return (
                "(json_type(doc, ?) = 'text' AND instr(json_extract(doc, ?), ?) > 0)"
                    + " OR (json_type(doc, ?) = 'array' AND \(member)type = 'text' AND value = ?))",
                [path, path, string, path, path, string]
            )
        case .number(let number):
            let operand: any DatabaseValueConvertible = number.int64Value ?? number.doubleValue
            return (
                "json_type(doc, ?) = 'array' AND \(member)type IN ('integer', 'real') AND value = ?)",
                [path, path, operand]
            )
        case .bool(let bool):
            return ("json_type(doc, ?) = 'array' AND \(member)type = '\(bool ? "true" : "false")')", [path, path])
        default: return nil
        }
    }
}

extension String {
    /// The least string greater than every string with this prefix (bytewise), or `nil` if
    /// there is none: the last scalar is incremented and what follows it dropped.
    var prefixUpperBound: String? {
        var scalars = Array(unicodeScalars)
        while let last = scalars.popLast() {
            var next = last.value + 1
            if (0xD800...0xDFFF).contains(next) { next = 0xE000 }
            if let scalar = Unicode.Scalar(next) {
                scalars.append(scalar)
                var result = ""
                result.unicodeScalars.append(contentsOf: scalars)
                return result
            }
        }
        return nil
    }
}
