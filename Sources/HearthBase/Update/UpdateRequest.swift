import HearthCore

/// The body of `PATCH /items/{key}`: five kinds of operation on attribute paths.
public struct UpdateRequest: Sendable {
    public var set: [(path: FieldPath, value: JSONValue)] = []
    public var increment: [(path: FieldPath, amount: JSONNumber)] = []
    public var append: [(path: FieldPath, values: [JSONValue])] = []
    public var prepend: [(path: FieldPath, values: [JSONValue])] = []
    public var delete: [FieldPath] = []
    /// The body as received, echoed in the response.
    public var echo: JSONObject

    static let operations = ["set", "increment", "append", "prepend", "delete"]

    /// Parses and checks an update body: known operations only, at least one non-empty, never
    /// touching `key`, and no path overlapping another.
    public init(parsing body: JSONValue) throws(BaseError) {
        guard case .object(let object) = body else { throw .bad("Request body must be a JSON object") }
        if let unknown = object.keys.first(where: { !Self.operations.contains($0) }) {
            throw .bad("Unknown update operation '\(unknown.prefix(64))'")
        }
        echo = JSONObject([(key: "key", value: .null)])
        for name in Self.operations {
            echo[name] = object[name] ?? (name == "delete" ? .array([]) : .object(JSONObject()))
        }
        set = try Self.members(object["set"], "set").map { ($0, $1) }
        increment = try Self.members(object["increment"], "increment").map { path, value throws(BaseError) in
            guard case .number(let amount) = value else { throw .bad("Increment value must be a number") }
            return (path, amount)
        }
        append = try Self.lists(object["append"], "append")
        prepend = try Self.lists(object["prepend"], "prepend")
        switch object["delete"] {
        case nil, .null?: break
        case .array(let paths)?:
            delete = try paths.map { value throws(BaseError) in
                guard case .string(let path) = value, !path.isEmpty else { throw .bad("delete takes a list of attribute names") }
                return FieldPath(path)
            }
        default: throw .bad("delete takes a list of attribute names")
        }
        let paths = set.map(\.path) + increment.map(\.path) + append.map(\.path) + prepend.map(\.path) + delete
        guard !paths.isEmpty else { throw .bad("No attributes specified") }
        if paths.contains(where: { $0.segments.first == "key" }) { throw .bad("Cannot update the key") }
        // Sorted by segments, a path's overlapping paths follow it directly (all paths between a
        // path and one it prefixes share that prefix), so neighbours are all there is to check.
        let sorted = paths.sorted { $0.segments.lexicographicallyPrecedes($1.segments) }
        for (path, next) in zip(sorted, sorted.dropFirst()) where path.overlaps(next) {
            throw .bad("Conflicting operations on attribute '\(path.description.prefix(64))'")
        }
    }

    /// Sets the key echoed in the response.
    mutating func echoKey(_ key: String) { echo["key"] = .string(key) }

    private static func members(_ value: JSONValue?, _ name: String) throws(BaseError) -> [(FieldPath, JSONValue)] {
        switch value {
        case nil, .null?: return []
        case .object(let object)?:
            return try object.members.map { member throws(BaseError) in
                guard !member.key.isEmpty else { throw .bad("\(name) has an empty attribute name") }
                return (FieldPath(member.key), member.value)
            }
        default: throw .bad("\(name) must be an object")
        }
    }

    private static func lists(_ value: JSONValue?, _ name: String) throws(BaseError) -> [(path: FieldPath, values: [JSONValue])] {
        try members(value, name).map { path, value throws(BaseError) in
            guard case .array(let values) = value else {
                throw .bad(name == "append" ? "Appended value must be a list" : "Prepended value must be a list")
            }
            return (path, values)
        }
    }
}
