import HearthCore

extension UpdateRequest {
    /// The item's fields after the update. A nested path needs its parent to exist as an
    /// object; increment treats a missing number as 0; append and prepend create a missing list.
    public func apply(to fields: JSONObject) throws(BaseError) -> JSONObject {
        var result = fields
        for (path, value) in set {
            try Self.modify(&result, path) { _ throws(BaseError) in value }
        }
        for (path, amount) in increment {
            try Self.modify(&result, path) { current throws(BaseError) in
                switch current {
                case nil: return .number(amount)
                case .number(let number)?: return .number(try Self.add(number, amount))
                default: throw .bad("Cannot increment a non-number attribute")
                }
            }
        }
        for (path, values) in append {
            try Self.modify(&result, path) { current throws(BaseError) in
                guard let list = try Self.list(current) else { return .array(values) }
                return .array(list + values)
            }
        }
        for (path, values) in prepend {
            try Self.modify(&result, path) { current throws(BaseError) in
                guard let list = try Self.list(current) else { return .array(values) }
                return .array(values + list)
            }
        }
        for path in delete {
            Self.remove(&result, path.segments[...])
        }
        return result
    }

    private static func list(_ value: JSONValue?) throws(BaseError) -> [JSONValue]? {
        switch value {
        case nil: return nil
        case .array(let list)?: return list
        default: throw .bad("Cannot append to or prepend to a non-list attribute")
        }
    }

    /// Adds exactly when both are integers that fit, otherwise in floating point.
    static func add(_ a: JSONNumber, _ b: JSONNumber) throws(BaseError) -> JSONNumber {
        if let x = a.int64Value, let y = b.int64Value {
            let (sum, overflow) = x.addingReportingOverflow(y)
            if !overflow { return JSONNumber(Int(sum)) }
        }
        guard let sum = JSONNumber(a.doubleValue + b.doubleValue) else { throw .bad("Increment result is out of range") }
        return sum
    }

    /// Replaces the value at `path` with `transform(current)`; the parent must exist.
    private static func modify(
        _ object: inout JSONObject, _ path: FieldPath,
        _ transform: (JSONValue?) throws(BaseError) -> JSONValue
    ) throws(BaseError) {
        try modify(&object, path.segments[...], path, transform)
    }

    private static func modify(
        _ object: inout JSONObject, _ segments: ArraySlice<String>, _ path: FieldPath,
        _ transform: (JSONValue?) throws(BaseError) -> JSONValue
    ) throws(BaseError) {
        let head = segments.first!
        if segments.count == 1 {
            object[head] = try transform(object[head])
            return
        }
        guard case .object(var child)? = object[head] else {
            throw .bad("Parent of attribute '\(path.description.prefix(64))' does not exist or is not an object")
        }
        try modify(&child, segments.dropFirst(), path, transform)
        object[head] = .object(child)
    }

    private static func remove(_ object: inout JSONObject, _ segments: ArraySlice<String>) {
        let head = segments.first!
        if segments.count == 1 {
            object[head] = nil
            return
        }
        guard case .object(var child)? = object[head] else { return }
        remove(&child, segments.dropFirst())
        object[head] = .object(child)
    }
}
