#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `.gitignore`-style list of patterns (spec §4.9): blank lines and `#` comments are skipped,
/// `!` re-includes, a trailing `/` matches directories only, a `/` at the start or in the middle
/// anchors the pattern at the app root, `*`/`?`/`[…]` stay within one path segment and `**`
/// spans any number of segments. The last pattern that matches a path decides.
struct IgnoreRules: Sendable {
    private var patterns: [IgnorePattern]

    init(_ lines: some Sequence<some StringProtocol>) {
        patterns = lines.compactMap { IgnorePattern(String($0)) }
    }

    /// Deta's default list (spec §4.9) minus `node_modules`: apps built here cannot fetch
    /// packages, so committed `node_modules` are how Node apps bring their dependencies.
    static let spaceDefaults = IgnoreRules([
        ".space", ".spaceignore", "Discovery.md", ".hearth",
        ".hg", ".git", ".gitmodules", ".gitignore", ".svn",
        "build", "dist", ".output/",
        ".next", ".nuxt", ".svelte-kit", ".astro",
        ".npmignore", ".cache", ".yarn", "npm-debug.log*", "yarn-debug.log*", "yarn-error.log*",
        "lerna-debug.log*", ".pnpm-debug.log*",
        ".venv", "venv", "virtualenv", "__pycache__",
        "target",
        "*.lcov", ".nyc_output", ".coverage", ".coverage.*",
        ".dockerignore",
        ".env.local", ".env.*.local", ".env", ".envrc",
        ".*.swp", ".vscode", ".history",
        ".DS_Store",
        ".lock-wscript", "config.gypi", "CVS",
    ])

    /// These rules followed by `other`'s, so that `other` wins where both match.
    func appending(_ other: IgnoreRules) -> IgnoreRules {
        var combined = self
        combined.patterns += other.patterns
        return combined
    }

    /// Whether the path (relative to the app root, `/`-separated) is left out.
    func isIgnored(_ relativePath: String, isDirectory: Bool) -> Bool {
        let segments = relativePath.split(separator: "/")
        for pattern in patterns.reversed() where pattern.matches(segments, isDirectory: isDirectory) {
            return !pattern.negated
        }
        return false
    }
}

/// One line of an ignore file.
struct IgnorePattern: Sendable {
    let negated: Bool
    let directoryOnly: Bool
    let anchored: Bool
    let segments: [String]

    init?(_ line: String) {
        var text = Substring(line)
        while let last = text.last, last == " " || last == "\t" || last == "\r", !text.hasSuffix("\\ ") {
            text.removeLast()
        }
        guard !text.isEmpty, !text.hasPrefix("#") else { return nil }
        negated = text.hasPrefix("!")
        if negated { text.removeFirst() }
        directoryOnly = text.hasSuffix("/")
        while text.hasSuffix("/") { text.removeLast() }
        anchored = text.contains("/")
        segments = text.split(separator: "/").map(String.init)
        guard !segments.isEmpty else { return nil }
    }

    func matches(_ path: [Substring], isDirectory: Bool) -> Bool {
        if directoryOnly && !isDirectory { return false }
        if anchored { return Self.match(segments[...], path[...]) }
        guard let name = path.last else { return false }
        return Self.matchSegment(segments[0], name)
    }

    private static func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<Substring>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            let rest = pattern.dropFirst()
            // A trailing `**` matches everything inside, not the directory itself.
            if rest.isEmpty { return !path.isEmpty }
            return (path.startIndex...path.endIndex).contains { match(rest, path[$0...]) }
        }
        guard let name = path.first, matchSegment(first, name) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    private static func matchSegment(_ pattern: String, _ name: Substring) -> Bool {
        fnmatch(pattern, String(name), 0) == 0
    }
}
