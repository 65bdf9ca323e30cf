import HearthCore

/// A validated item ready to store: an object with a string `key`, its compact JSON, and its
/// expiry time if it has a numeric `__expires`.
public struct Item: Sendable {
    public let key: String
    public let object: JSONObject
    /// The compact JSON text, exactly what is stored and returned.
    public let json: String
    /// Unix seconds after which the item is gone.
    public let expires: Double?

    static let expiresField = "__expires"

    /// Validates `value` as an item, generating a key when it has none (absent, `null` or `""`).
    init(validating value: JSONValue, limits: BaseLimits, keys: ItemKeyGenerator) throws(BaseError) {
        guard case .object(var object) = value else { throw .bad("Item must be a JSON object") }
        let key: String
        switch object["key"] {
        case nil, .null?, .string("")?: key = keys.next()
        case .string(let given)?: key = given
        default: throw .bad("Key must be a string")
        }
        object["key"] = nil
        try self.init(key: key, fields: object, limits: limits)
    }

    /// Builds an item from its key and its other fields, checking key, expiry and size.
    package init(key: String, fields: JSONObject, limits: BaseLimits) throws(BaseError) {
        guard key.utf8.count <= limits.maxKeyBytes else { throw .bad("Key is longer than \(limits.maxKeyBytes) bytes") }
        var object = JSONObject([(key: "key", value: .string(key))])
        for member in fields.members where member.key != "key" { object[member.key] = member.value }
        switch object[Self.expiresField] {
        case nil, .null?: expires = nil
        case .number(let number)?: expires = number.doubleValue
        default: throw .bad("__expires must be a number (Unix seconds)")
        }
        guard JSONValue.object(object).depth <= limits.maxDepth else {
            throw .bad("Item is nested deeper than \(limits.maxDepth) levels")
        }
        let json = JSONWriter.string(.object(object))
        guard json.utf8.count <= limits.maxItemBytes else { throw .bad("Item is larger than \(limits.maxItemBytes / 1024) KB") }
        self.key = key
        self.object = object
        self.json = json
    }
}
