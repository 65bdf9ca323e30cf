import Foundation

/// A micro's `requirements.txt`, decoded and with the `deta` requirement taken out: PyPI's
/// `deta` is now another project (spec §3.6) and Hearth's own SDK provides the module.
struct Requirements: Equatable {
    /// The lines pip gets, in order.
    var lines: [String]
    /// Whether a `deta` requirement was removed.
    var droppedDeta: Bool

    /// The number of package requirements (lines that are not pip options).
    var packageCount: Int { lines.filter { !$0.hasPrefix("-") }.count }

    var text: String { lines.map { $0 + "\n" }.joined() }

    /// Parses the file's bytes. Paths of `-r`/`-c` lines are made absolute against `directory`,
    /// so that the filtered copy, written elsewhere, still finds them.
    init(bytes: Data, directory: URL) {
        var lines: [String] = []
        var droppedDeta = false
        for line in Self.logicalLines(bytes.decodedText) {
            let content = Self.stripComment(line).trimmingCharacters(in: .whitespaces)
            if content.isEmpty { continue }
            if Self.projectName(of: content) == "deta" {
                droppedDeta = true
                continue
            }
            lines.append(Self.absolutizingIncludes(content, directory: directory))
        }
        self.lines = lines
        self.droppedDeta = droppedDeta
    }

    /// Physical lines joined where one ends in a backslash.
    private static func logicalLines(_ text: String) -> [String] {
        var result: [String] = []
        var pending = ""
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = String(rawLine)
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
            } else {
                result.append(pending + line)
                pending = ""
            }
        }
        if !pending.isEmpty { result.append(pending) }
        return result
    }

    /// The line without a comment (`#` at the start or after white space, as pip reads it).
    private static func stripComment(_ line: String) -> Substring {
        var previous: Character = " "
        for index in line.indices {
            if line[index] == "#" && previous.isWhitespace { return line[..<index] }
            previous = line[index]
        }
        return line[...]
    }

    /// The normalised project name a requirement line names (PEP 503), or nil for options.
    static func projectName(of requirement: String) -> String? {
        guard let first = requirement.first, first.isLetter || first.isNumber else { return nil }
        let name = requirement.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
        return name.lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: ".", with: "-")
    }

    private static func absolutizingIncludes(_ line: String, directory: URL) -> String {
        for option in ["-r", "--requirement", "-c", "--constraint"] {
            guard line.hasPrefix(option + " ") || line.hasPrefix(option + "=") else { continue }
            let path = line.dropFirst(option.count + 1).trimmingCharacters(in: .whitespaces)
            guard !path.hasPrefix("/"), !path.contains("://") else { return line }
            return "\(option) \(directory.appendingPathComponent(path).standardized.path)"
        }
        return line
    }
}
