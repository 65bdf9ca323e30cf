import HearthCore

extension MarkdownRenderer {
    /// One block's text as HTML: code spans, links, images (as alt text), emphasis and
    /// backslash escapes; everything else escaped. Line breaks inside a block become spaces.
    static func inline(_ text: String) -> String {
        render(Array(text.replacingOccurrences(of: "\n", with: " ")), links: true)
    }

    private static func render(_ chars: [Character], links: Bool) -> String {
        var html = ""
        var index = 0
        while index < chars.count {
            let char = chars[index]
            if char == "\\", index + 1 < chars.count, chars[index + 1].isPunctuation || chars[index + 1].isSymbol {
                html += HTMLPage.escape(String(chars[index + 1]))
                index += 2
            } else if char == "`", let end = chars[(index + 1)...].firstIndex(of: "`") {
                html += "<code>\(HTMLPage.escape(String(chars[(index + 1)..<end])))</code>"
                index = end + 1
            } else if char == "!", index + 1 < chars.count, chars[index + 1] == "[", let link = link(chars, at: index + 1) {
                html += render(link.label, links: false)  // no images: their alt text only
                index = link.end
            } else if char == "[", let link = link(chars, at: index) {
                let label = render(link.label, links: false)
                if links, Discovery.isWebURL(link.url) {
                    html += "<a href=\"\(HTMLPage.escape(link.url))\" rel=\"nofollow noopener noreferrer\">\(label)</a>"
                } else {
                    html += label
                }
                index = link.end
            } else if char == "*" || char == "_", let span = emphasis(chars, at: index) {
                let inner = render(Array(chars[span.inner]), links: links)
                html +=
                    span.run == 1 ? "<em>\(inner)</em>" : span.run == 2 ? "<strong>\(inner)</strong>" : "<em><strong>\(inner)</strong></em>"
                index = span.end
            } else {
                html += HTMLPage.escape(String(char))
                index += 1
            }
        }
        return html
    }

    /// `[label](url)` starting at `start`: the label, the URL and the index after `)`.
    private static func link(_ chars: [Character], at start: Int) -> (label: [Character], url: String, end: Int)? {
        var depth = 0
        var close: Int?
        for position in start..<chars.count {
            if chars[position] == "[" { depth += 1 }
            if chars[position] == "]" {
                depth -= 1
                if depth == 0 {
                    close = position
                    break
                }
            }
        }
        guard let close, close + 1 < chars.count, chars[close + 1] == "(", let end = closingParenthesis(chars, after: close + 1)
        else { return nil }
        let url = String(chars[(close + 2)..<end]).trimmingCharacters(in: .whitespaces)
        return (Array(chars[(start + 1)..<close]), url, end + 1)
    }

    /// The `)` that balances the `(` at `open` (URLs may hold balanced parentheses).
    private static func closingParenthesis(_ chars: [Character], after open: Int) -> Int? {
        var depth = 0
        for position in open..<chars.count {
            if chars[position] == "(" { depth += 1 }
            if chars[position] == ")" {
                depth -= 1
                if depth == 0 { return position }
            }
        }
        return nil
    }

    /// An emphasis span opened by a run of 1–3 `*` or `_` at `start` and closed by an equal run
    /// not preceded by a space; `_` does not open inside a word (`snake_case`).
    private static func emphasis(_ chars: [Character], at start: Int) -> (run: Int, inner: Range<Int>, end: Int)? {
        let mark = chars[start]
        let run = runLength(chars, at: start)
        guard run <= 3, start + run < chars.count, !chars[start + run].isWhitespace else { return nil }
        if mark == "_", start > 0, chars[start - 1].isLetter || chars[start - 1].isNumber { return nil }
        var position = start + run
        while position < chars.count {
            if chars[position] == "`", let end = chars[(position + 1)...].firstIndex(of: "`") {
                position = end + 1
                continue
            }
            guard chars[position] == mark else {
                position += 1
                continue
            }
            let length = runLength(chars, at: position)
            let after = position + length
            if length == run, !chars[position - 1].isWhitespace,
                mark == "*" || after == chars.count || !(chars[after].isLetter || chars[after].isNumber)
            {
                return (run, (start + run)..<position, after)
            }
            position = after
        }
        return nil
    }

    private static func runLength(_ chars: [Character], at start: Int) -> Int {
        var end = start
        while end < chars.count, chars[end] == chars[start] { end += 1 }
        return end - start
    }
}
