import HearthCore

extension Query {
    /// Whether an item (its full object, including `key`) matches the query.
    public func matches(_ item: JSONObject) -> Bool {
        if let keyCondition {
            guard let key = item["key"]?.stringValue, keyCondition.matches(key) else { return false }
        }
        return branches.isEmpty || branches.contains { $0.allSatisfy { $0.matches(item) } }
    }
}

extension KeyCondition {
    /// Whether `key` satisfies this condition, comparing UTF-8 bytes as the store orders keys.
    public func matches(_ key: String) -> Bool {
        switch self {
        case .equal(let value): return key == value
        case .notEqual(let value): return key != value
        case .less(let value): return key.utf8Compare(value) < 0
        case .lessOrEqual(let value): return key.utf8Compare(value) <= 0
        case .greater(let value): return key.utf8Compare(value) > 0
        case .greaterOrEqual(let value): return key.utf8Compare(value) >= 0
        case .prefix(let value): return key.utf8.starts(with: value.utf8)
        case .range(let low, let high): return key.utf8Compare(low) >= 0 && key.utf8Compare(high) <= 0
        }
    }
}

extension Condition {
    /// Whether `item` satisfies this condition. A missing attribute fails every positive test;
    /// `ne` and `not_contains` are their negations, so a missing attribute passes them.
    public func matches(_ item: JSONObject) -> Bool {
        let actual = path.value(in: item)
        switch op {
        case .equal: return actual.map { $0.deepEquals(value) } ?? false
        case .notEqual: return !(actual.map { $0.deepEquals(value) } ?? false)
        case .less: return compare(actual, value).map { $0 < 0 } ?? false
        case .lessOrEqual: return compare(actual, value).map { $0 <= 0 } ?? false
        case .greater: return compare(actual, value).map { $0 > 0 } ?? false
        case .greaterOrEqual: return compare(actual, value).map { $0 >= 0 } ?? false
        case .prefix:
            guard case .string(let string)? = actual, case .string(let prefix) = value else { return false }
            return string.utf8.starts(with: prefix.utf8)
        case .range:
            guard case .array(let bounds) = value, bounds.count == 2,
                let low = compare(actual, bounds[0]), let high = compare(actual, bounds[1])
            else { return false }
            return low >= 0 && high <= 0
        case .contains: return contains(actual, value)
        case .notContains: return !contains(actual, value)
        }
    }

    /// Orders two values of the same comparable type; `nil` when they cannot be compared.
    private func compare(_ actual: JSONValue?, _ expected: JSONValue) -> Int? {
        switch (actual, expected) {
        case (.number(let a)?, .number(let b)):
            return a.doubleValue < b.doubleValue ? -1 : (a.doubleValue > b.doubleValue ? 1 : 0)
        case (.string(let a)?, .string(let b)):
            return a.utf8Compare(b)
        default: return nil
        }
    }

    private func contains(_ actual: JSONValue?, _ needle: JSONValue) -> Bool {
        switch (actual, needle) {
        case (.string(let haystack)?, .string(let substring)):
            return haystack.utf8.containsSubsequence(substring.utf8)
        case (.array(let elements)?, _):
            return elements.contains { $0.deepEquals(needle) }
        default: return false
        }
    }
}

extension String {
    /// Compares by UTF-8 bytes (the store's key order), not by Unicode canonical order.
    func utf8Compare(_ other: String) -> Int {
        var left = utf8.makeIterator(), right = other.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let a?, let b?) where a != b: return a < b ? -1 : 1
            default: continue
            }
        }
    }
}

extension Collection where Element == UInt8 {
    /// Whether `needle` occurs as a contiguous run of bytes.
    func containsSubsequence(_ needle: some Collection<UInt8>) -> Bool {
        let pattern = Array(needle), bytes = Array(self)
        guard !pattern.isEmpty else { return true }
        guard pattern.count <= bytes.count else { return false }
        return (0...(bytes.count - pattern.count)).contains { start in
            bytes[start] == pattern[0] && bytes[start..<(start + pattern.count)].elementsEqual(pattern)
        }
    }
}
