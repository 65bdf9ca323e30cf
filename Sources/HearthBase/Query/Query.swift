import HearthCore

/// A parsed Deta Base query: an OR of AND-ed condition lists, plus an optional key range that
/// every branch shares (the service scans that range and filters the rest).
public struct Query: Sendable, Equatable {
    /// OR-ed branches; each branch's conditions are AND-ed. No branches means "everything".
    public var branches: [[Condition]]
    /// The key condition common to every branch, if any.
    public var keyCondition: KeyCondition?

    public init(branches: [[Condition]] = [], keyCondition: KeyCondition? = nil) {
        self.branches = branches
        self.keyCondition = keyCondition
    }

    public static let all = Query()
}

/// A condition on an attribute path.
public struct Condition: Sendable, Equatable {
    public var path: FieldPath
    public var op: Operator
    public var value: JSONValue

    public init(path: FieldPath, op: Operator, value: JSONValue) {
        self.path = path
        self.op = op
        self.value = value
    }
}

/// A condition on the item key; values are always strings.
public enum KeyCondition: Sendable, Equatable {
    case equal(String)
    case notEqual(String)
    case less(String), lessOrEqual(String), greater(String), greaterOrEqual(String)
    case prefix(String)
    case range(String, String)
}

/// The operators of the query language, after resolving aliases.
public enum Operator: String, Sendable, CaseIterable {
    case equal = ""
    case notEqual = "ne"
    case less = "lt"
    case greater = "gt"
    case lessOrEqual = "lte"
    case greaterOrEqual = "gte"
    case prefix = "pfx"
    case range = "r"
    case contains = "contains"
    case notContains = "not_contains"

    /// Resolves a suffix after `?`, including the symbolic aliases and `range` (sent by detaorm).
    init?(suffix: Substring) {
        switch suffix {
        case "ne": self = .notEqual
        case "lt", "<": self = .less
        case "gt", ">": self = .greater
        case "lte", "<=": self = .lessOrEqual
        case "gte", ">=": self = .greaterOrEqual
        case "pfx": self = .prefix
        case "r", "range": self = .range
        case "contains": self = .contains
        case "not_contains", "!contains": self = .notContains
        default: return nil
        }
    }
}

/// The parameters of `POST /query`.
public struct QueryRequest: Sendable, Equatable {
    public var query: Query
    public var limit: Int?
    /// Exclusive start key, in the active sort direction.
    public var last: String?
    public var descending: Bool

    public init(query: Query = .all, limit: Int? = nil, last: String? = nil, descending: Bool = false) {
        self.query = query
        self.limit = limit
        self.last = last
        self.descending = descending
    }
}

/// One page of query results: items as stored JSON, and the key to continue after, present
/// only when more matching items exist.
public struct QueryPage: Sendable {
    public var items: [String]
    public var last: String?
}
