import Foundation

/// Renders the Markdown that Discovery.md bodies may hold to safe HTML: headings (`#` becomes
/// `h2`), paragraphs, lists, quotes, rules, fenced code, emphasis, inline code and links to
/// http(s) URLs only. Every character of the input is escaped: raw HTML shows as text, images
/// as their alt text, and other links as their label.
enum MarkdownRenderer {
    static func html(_ markdown: String) -> String {
        var output: [String] = []
        var paragraph: [String] = []
        var list: (ordered: Bool, items: [String])?
        var quote: [String] = []
        var code: [String]?

        func flush() {
            if !paragraph.isEmpty { output.append("<p>\(inline(paragraph.joined(separator: "\n")))</p>") }
            if let current = list {
                let tag = current.ordered ? "ol" : "ul"
                output.append("<\(tag)>" + current.items.map { "<li>\(inline($0))</li>" }.joined() + "</\(tag)>")
            }
            if !quote.isEmpty { output.append("<blockquote><p>\(inline(quote.joined(separator: "\n")))</p></blockquote>") }
            (paragraph, list, quote) = ([], nil, [])
        }

        for rawLine in markdown.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if var lines = code {
                if trimmed.hasPrefix("```") {
                    output.append("<pre><code>\(HTMLPage.escape(lines.joined(separator: "\n")))</code></pre>")
                    code = nil
                } else {
                    lines.append(line)
                    code = lines
                }
                continue
            }
            if trimmed.hasPrefix("```") {
                flush()
                code = []
            } else if trimmed.isEmpty {
                flush()
            } else if let (level, text) = heading(trimmed) {
                flush()
                let tag = "h\(min(level + 1, 4))"
                output.append("<\(tag)>\(inline(text))</\(tag)>")
            } else if trimmed.count >= 3, Set(trimmed.filter { $0 != " " }).count == 1, "-*_".contains(trimmed.first!) {
                flush()
                output.append("<hr>")
            } else if let (ordered, text) = listItem(trimmed) {
                if list?.ordered != ordered { flush() }
                if !paragraph.isEmpty || !quote.isEmpty { flush() }
                list = (ordered, (list?.items ?? []) + [text])
            } else if trimmed.hasPrefix(">") {
                if !paragraph.isEmpty || list != nil { flush() }
                quote.append(trimmed.dropFirst().trimmingCharacters(in: .whitespaces))
            } else if var current = list, line.first == " " || line.first == "\t" {
                current.items[current.items.count - 1] += "\n" + trimmed
                list = current
            } else {
                if list != nil || !quote.isEmpty { flush() }
                paragraph.append(trimmed)
            }
        }
        if let lines = code { output.append("<pre><code>\(HTMLPage.escape(lines.joined(separator: "\n")))</code></pre>") }
        flush()
        return output.joined(separator: "\n")
    }

    private static func heading(_ line: String) -> (Int, String)? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes) else { return nil }
        let rest = line.dropFirst(hashes)
        guard rest.isEmpty || rest.first == " " else { return nil }
        var text = rest.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("#") { text.removeLast() }
        return (hashes, text.trimmingCharacters(in: .whitespaces))
    }

    private static func listItem(_ line: String) -> (ordered: Bool, text: String)? {
        if let first = line.first, "-*+".contains(first), line.dropFirst().first == " " {
            return (false, line.dropFirst(2).trimmingCharacters(in: .whitespaces))
        }
        let digits = line.prefix(while: \.isASCII).prefix { $0.isNumber }
        let rest = line.dropFirst(digits.count)
        guard (1...9).contains(digits.count), let mark = rest.first, mark == "." || mark == ")", rest.dropFirst().first == " " else {
            return nil
        }
        return (true, rest.dropFirst(2).trimmingCharacters(in: .whitespaces))
    }
}
