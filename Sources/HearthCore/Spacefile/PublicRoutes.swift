extension Micro {
    /// Whether a request path (the micro's own, prefix stripped, without the query) needs no
    /// login (spec §5.5): a pattern without `*` must equal it; each `*` matches any run of
    /// characters, `/` included, and the pattern is anchored at both ends, so `/public/*`
    /// matches `/public/a/b` but not `/public`.
    public func isPublic(path: String) -> Bool {
        publicRoutes.contains { Self.glob($0, matches: path) }
    }

    static func glob(_ pattern: String, matches path: String) -> Bool {
        let pieces = pattern.utf8.split(separator: UInt8(ascii: "*"), omittingEmptySubsequences: false)
        guard pieces.count > 1 else { return pattern == path }
        var rest = path.utf8[...]
        guard rest.starts(with: pieces[0]) else { return false }
        rest = rest.dropFirst(pieces[0].count)
        let last = pieces[pieces.count - 1]
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let found = rest.firstRange(of: piece) else { return false }
            rest = rest[found.upperBound...]
        }
        return rest.count >= last.count && rest.suffix(last.count).elementsEqual(last)
    }
}
