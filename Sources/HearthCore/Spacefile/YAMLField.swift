import Yams

/// A node of the Spacefile with its field path. The typed readers log a problem and return nil when the
/// node has another type, so that reading goes on and every problem is found.
struct YAMLField {
    let node: Node
    /// Such as `micros[1].presets.env[0].default`; empty for the document.
    let path: String
    let log: ProblemLog
    /// The line of the field's key, or of the node itself for list entries and the document.
    let line: Int?

    init(node: Node, path: String, log: ProblemLog, line: Int? = nil) {
        self.node = node
        self.path = path
        self.log = log
        self.line = line ?? node.mark?.line
    }

    func report(_ message: String) { log.add(message, field: path, line: line) }

    /// The path of the field `key` inside this one.
    func path(of key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    var string: String? {
        guard case .scalar(let scalar) = node, node.tagName == .str else {
            let isOtherScalar = node.scalar != nil && node.tagName != .null
            return mismatch("a string", hint: isOtherScalar ? "; put it in quotes to make it text" : "")
        }
        return scalar.string
    }

    var bool: Bool? {
        guard case .scalar(let scalar) = node, node.tagName == .bool else { return mismatch("true or false") }
        return scalar.string.lowercased() == "true"
    }

    var integer: Int? {
        guard case .scalar(let scalar) = node, node.tagName == .int, let value = Int(scalar.string) else {
            return mismatch("a whole number")
        }
        return value
    }

    /// The entries of a list, which must have at least one.
    var list: [YAMLField]? {
        guard case .sequence(let sequence) = node else { return mismatch("a list") }
        guard !sequence.isEmpty else {
            report("must have at least one entry")
            return nil
        }
        return sequence.enumerated().map { YAMLField(node: $1, path: "\(path)[\($0)]", log: log) }
    }

    /// A list of strings, each read by `read`; `unique` reports repeated entries, `nonEmpty` empty ones.
    func strings(unique: Bool = false, nonEmpty: Bool = false, read: (YAMLField) -> String? = { $0.string }) -> [String]? {
        guard let entries = list else { return nil }
        var seen = Set<String>()
        let values = entries.compactMap { entry -> String? in
            guard let value = read(entry) else { return nil }
            if unique, !seen.insert(value).inserted { entry.report("\(quoted(value)) is listed twice") }
            if nonEmpty, value.isEmpty { entry.report("must not be empty") }
            return value
        }
        return values.count == entries.count ? values : nil
    }

    /// A string naming a file or directory relative to `base`; it may not be absolute or climb out with `..`.
    func relativePath(inside base: String) -> String? {
        guard let value = string else { return nil }
        var depth = 0
        for component in value.split(separator: "/") where component != "." {
            depth += component == ".." ? -1 : 1
            if depth < 0 { break }
        }
        guard !value.hasPrefix("/"), depth >= 0 else {
            report("\(quoted(value)) must be a relative path that stays inside \(base)")
            return nil
        }
        return value
    }

    private func mismatch<Value>(_ expected: String, hint: String = "") -> Value? {
        report("expected \(expected), found \(summary)\(hint)")
        return nil
    }

    /// What the node holds, for messages: `the number 3`, `a list`, `the string "yes"`.
    private var summary: String {
        guard case .scalar(let scalar) = node else { return node.mapping != nil ? "a mapping" : "a list" }
        switch node.tagName {
        case .str: return "the string \(quoted(scalar.string))"
        case .null: return "nothing (null)"
        case .bool: return "the boolean \(scalar.string)"
        case .int, .float: return "the number \(scalar.string)"
        default: return "\(quoted(scalar.string)) tagged \(node.tag)"
        }
    }
}

/// `text` in double quotes, shortened to keep messages to a line.
func quoted(_ text: String) -> String {
    "\"\(text.count > 40 ? text.prefix(39) + "…" : text)\""
}

extension Node {
    /// The resolved tag's name, such as `Tag.Name.str`.
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }
}
