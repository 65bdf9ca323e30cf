import Foundation
import Yams

extension Discovery {
    /// The largest Discovery.md read: front matter and a 4250-character body fit in far less.
    static let maximumFileSize = 64 << 10

    /// Parses `Discovery.md`: an optional front matter block between `---` lines, then the body.
    /// Every broken rule is reported with its field and line; keys Deta did not know are ignored.
    public static func parse(_ text: String) throws(SpacefileError) -> Discovery {
        let (frontMatter, body) = split(text)
        let log = ProblemLog()
        var discovery = Discovery(body: body)
        if let frontMatter {
            let root: Node?
            do {
                root = try Yams.compose(yaml: frontMatter, Spacefile.yamlResolver)
            } catch {
                throw SpacefileError(SpacefileError.invalidDiscovery, problems: [Spacefile.syntaxProblem(error)], cause: error)
            }
            if let root, root.tagName != .null {
                read(YAMLField(node: root, path: "", log: log), into: &discovery)
            }
        }
        if body.count > limits.body {
            log.add("the body has \(body.count) characters; at most \(limits.body) are allowed", field: "body", line: nil)
        }
        guard log.isEmpty else {
            // Front matter lines are counted from the file's first line, the opening `---`.
            let problems = log.error.problems.map { SpacefileProblem(field: $0.field, line: $0.line.map { $0 + 1 }, message: $0.message) }
            throw SpacefileError(SpacefileError.invalidDiscovery, problems: problems)
        }
        return discovery
    }

    /// Reads `Discovery.md` from `directory`: nil when there is none.
    public static func load(directory: URL) throws(SpacefileError) -> Discovery? {
        let file = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        guard size <= maximumFileSize, let data = try? Data(contentsOf: file) else {
            throw SpacefileError(SpacefileError.invalidDiscovery, "Discovery.md is unreadable or larger than 64 KiB")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SpacefileError(SpacefileError.invalidDiscovery, "Discovery.md is not UTF-8 text")
        }
        return try parse(text)
    }

    /// The front matter (nil without one) and the body, trimmed.
    static func split(_ text: String) -> (frontMatter: String?, body: String) {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---",
            let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" })
        else { return (nil, text.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let frontMatter = lines[1..<end].joined(separator: "\n")
        let body = lines[(end + 1)...].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return (frontMatter, body)
    }

    private static func read(_ root: YAMLField, into discovery: inout Discovery) {
        let keys = Set(root.node.mapping?.keys.compactMap { $0.scalar?.string } ?? [])
        guard let fields = YAMLMapping(root, allowing: keys) else { return }
        discovery.appName = fields["app_name"].flatMap { text($0, max: limits.appName) }
        discovery.title = fields["title"].flatMap { text($0, max: limits.title) }
        discovery.tagline = fields["tagline"].flatMap { text($0, max: limits.tagline) }
        discovery.themeColor = fields["theme_color"].flatMap(color)
        discovery.git = fields["git"].flatMap(url)
        discovery.homepage = fields["homepage"].flatMap(url)
        discovery.portedFrom = fields["ported_from"].flatMap(url)
        discovery.openCode = fields["open_code"]?.bool
        discovery.worksWith = fields["works_with"]?.strings(nonEmpty: true) ?? []
        if let field = fields["media"], let media = field.strings(nonEmpty: true) {
            if media.count > limits.media { field.report("has \(media.count) entries; at most \(limits.media) are allowed") }
            if media.filter(isVideo).count > 1 { field.report("may hold at most one video") }
            discovery.media = media
        }
    }

    private static func text(_ field: YAMLField, max: Int) -> String? {
        guard let value = field.string?.trimmingCharacters(in: .whitespaces) else { return nil }
        guard value.count <= max else {
            field.report("\(quoted(value)) has \(value.count) characters; at most \(max) are allowed")
            return nil
        }
        return value
    }

    private static func color(_ field: YAMLField) -> String? {
        guard let value = field.string else { return nil }
        let digits = value.dropFirst()
        guard value.hasPrefix("#"), digits.count == 3 || digits.count == 6, digits.allSatisfy(\.isHexDigit) else {
            field.report("\(quoted(value)) is not a hex colour such as #1f8a70")
            return nil
        }
        return value.lowercased()
    }

    private static func url(_ field: YAMLField) -> String? {
        guard let value = field.string else { return nil }
        guard isWebURL(value) else {
            field.report("\(quoted(value)) is not an http(s) URL")
            return nil
        }
        return value
    }

    /// Whether `text` is an absolute http(s) URL with a host and no spaces.
    public static func isWebURL(_ text: String) -> Bool {
        guard !text.contains(where: { $0.isWhitespace || "\"'<>`\\".contains($0) }), let url = URL(string: text),
            let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else { return false }
        return true
    }

    private static func isVideo(_ media: String) -> Bool {
        guard let host = URL(string: media)?.host?.lowercased() else { return false }
        return ["youtube.com", "www.youtube.com", "youtu.be", "loom.com", "www.loom.com"].contains(host)
    }
}
