import Crypto
import Foundation
import HearthBase
import HearthCore

/// A Base's entry: a JSON array of its items exactly as `GET /items/{key}` returns them, one
/// per line, in key order. Deta's own exports are read in either shape, a bare array or
/// `{"items": […]}`.
enum BaseFile {
    /// The entry's bytes for items given as stored JSON texts, in key order.
    static func encode(_ documents: [String]) -> Data {
        guard !documents.isEmpty else { return Data("[]\n".utf8) }
        return Data(("[\n" + documents.joined(separator: ",\n") + "\n]\n").utf8)
    }

    /// SHA-256 of each item's compact JSON followed by a newline, in key order: equal for
    /// equal items, however the file around them is formatted.
    static func canonicalHash(_ documents: [String]) -> String {
        var hasher = SHA256()
        for document in documents {
            hasher.update(data: Array(document.utf8))
            hasher.update(data: [0x0A])
        }
        return hasher.finalize().hexString
    }

    /// The items of a Base entry, checked by Deta's item rules (spec §1.3) and sorted by key.
    static func decode(_ bytes: [UInt8], base: String, limits: BaseLimits) throws(ExportError) -> [Item] {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes, maxDepth: limits.maxDepth + 3)
        } catch {
            throw .bad("Base '\(base)': not valid JSON (\(error.message))")
        }
        let elements: [JSONValue]
        switch value {
        case .array(let array): elements = array
        case .object(let object) where object["items"]?.arrayValue != nil: elements = object["items"]!.arrayValue!
        default: throw .bad("Base '\(base)': expected a JSON array of items or {\"items\": [...]}")
        }
        var items: [Item] = []
        var keys = Set<String>()
        for (index, element) in elements.enumerated() {
            guard case .object(var fields) = element else { throw .bad("Base '\(base)': item \(index + 1) is not a JSON object") }
            guard case .string(let key)? = fields["key"], !key.isEmpty else {
                throw .bad("Base '\(base)': item \(index + 1) has no string key")
            }
            fields["key"] = nil
            do {
                items.append(try Item(key: key, fields: fields, limits: limits))
            } catch {
                throw .bad("Base '\(base)', key '\(key)': \(error.message)")
            }
            guard keys.insert(key).inserted else { throw .bad("Base '\(base)', key '\(key)': the key appears twice") }
        }
        return items.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }
}
