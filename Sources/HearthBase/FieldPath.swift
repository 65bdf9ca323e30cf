import HearthCore

/// A dotted attribute path such as `profile.address.city`.
///
/// `.` always separates levels, so a field whose name contains a dot cannot be addressed by a
/// path (as in Deta Base).
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    public let segments: [String]

    public init(_ dotted: String) {
        segments = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    public var description: String { segments.joined(separator: ".") }

    /// Whether one path equals the other or lies inside it (`a` overlaps `a.b`).
    public func overlaps(_ other: FieldPath) -> Bool {
        let shared = min(segments.count, other.segments.count)
        return Array(segments.prefix(shared)) == Array(other.segments.prefix(shared))
    }

    /// The value at this path, or `nil` if any level is missing or not an object.
    public func value(in object: JSONObject) -> JSONValue? {
        var current: JSONValue = .object(object)
        for segment in segments {
            guard case .object(let level) = current, let next = level[segment] else { return nil }
            current = next
        }
        return current
    }

    /// The SQLite JSON path (`$."a"."b"`), or `nil` when a segment cannot be quoted there.
    var sqlitePath: String? {
        guard segments.allSatisfy({ !$0.contains("\"") && !$0.contains("\\") }) else { return nil }
        return "$" + segments.map { ".\"\($0)\"" }.joined()
    }
}
