import Yams

/// A mapping's fields by key. Keys outside the allowed set are reported as unknown, as Deta's CLI did.
///
/// YAML merge keys (`<<: *defaults`) are refused rather than expanded: nested merges of aliases can make a
/// small file expand exponentially.
struct YAMLMapping {
    let field: YAMLField
    private let values: [String: YAMLField]

    init?(_ field: YAMLField, allowing keys: Set<String>) {
        guard case .mapping(let mapping) = field.node else {
            field.report("expected a mapping of fields, found \(field.node.sequence != nil ? "a list" : "a single value")")
            return nil
        }
        self.field = field
        var values: [String: YAMLField] = [:]
        for (key, value) in mapping {
            if field.log.isFull { break }  // an alias can repeat a mapping of unknown keys many times
            let name = key.scalar?.string ?? "?"
            let child = YAMLField(node: value, path: field.path(of: name), log: field.log, line: key.mark?.line)
            if key.scalar != nil, keys.contains(name) {
                values[name] = child
            } else {
                let problem = key.tagName == .merge ? "merge keys (`<<`) are not supported" : "unknown field `\(name)`"
                field.log.add(problem, field: child.path, line: key.mark?.line)
            }
        }
        self.values = values
    }

    subscript(key: String) -> YAMLField? { values[key] }

    /// The field `key`, or nil after reporting that it is missing.
    func required(_ key: String) -> YAMLField? {
        if let value = values[key] { return value }
        field.log.add("missing required field", field: field.path(of: key), line: field.line)
        return nil
    }
}
