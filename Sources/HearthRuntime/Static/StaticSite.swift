import Foundation
import HearthCore

/// What a request path of a static site leads to.
public enum StaticResolution: Sendable, Equatable {
    /// A regular file to send, with its `Content-Type`.
    case file(URL, contentType: String)
    /// A directory asked for without its trailing slash: redirect to `location`, a relative
    /// reference (`./docs/`) so that it works under any mount path.
    case redirect(location: String)
    /// Nothing there; the site's `404.html` to send as the body, if it has one.
    case notFound(URL?)
}

/// The files of a static micro (engines `static`, `react`, `vue`, `svelte`), resolved without
/// leaving the root: `..`, NUL, dot-files other than `.well-known` and symlinks leading out are
/// treated as absent.
public struct StaticSite: Sendable {
    public let root: URL
    /// Whether paths that are not files and do not look like file names (no extension in their
    /// last segment) get the root `index.html`, as single-page apps with client-side routes need.
    public let spaFallback: Bool
    private let realRoot: String

    public init(root: URL, spaFallback: Bool) {
        self.root = root.standardized
        self.spaFallback = spaFallback
        realRoot = FileTree.realPath(root.path) ?? root.standardized.path
    }

    /// Resolves a request path (relative to the site; a query or fragment is ignored).
    public func resolve(_ path: String) -> StaticResolution {
        let rawPath = path.prefix { $0 != "?" && $0 != "#" }
        guard let decoded = rawPath.removingPercentEncoding, let segments = Self.segments(of: decoded) else {
            return notFound
        }
        switch kind(of: segments) {
        case .file:
            return file(segments)
        case .directory where !decoded.hasSuffix("/") && !segments.isEmpty:
            return .redirect(location: "./" + Self.encode(segments.last!) + "/")
        case .directory:
            for index in ["index.html", "index.htm"] where kind(of: segments + [index]) == .file {
                return file(segments + [index])
            }
            return fallback(segments)
        default:
            return fallback(segments)
        }
    }

    private var notFound: StaticResolution {
        .notFound(kind(of: ["404.html"]) == .file ? root.appendingPathComponent("404.html") : nil)
    }

    private func fallback(_ segments: [String]) -> StaticResolution {
        let looksLikeFile = segments.last?.contains(".") ?? false
        if spaFallback && !looksLikeFile && kind(of: ["index.html"]) == .file { return file(["index.html"]) }
        return notFound
    }

    private func file(_ segments: [String]) -> StaticResolution {
        let name = segments.last ?? ""
        var type = MediaTypes.guess(forName: name)
        if type.hasPrefix("text/") && !type.contains("charset") { type += "; charset=utf-8" }
        return .file(url(segments), contentType: type)
    }

    private func url(_ segments: [String]) -> URL {
        segments.reduce(root) { $0.appendingPathComponent($1) }
    }

    /// A file or directory inside the root, after following symlinks; nil for anything else.
    private func kind(of segments: [String]) -> FileTree.Kind? {
        let path = url(segments).path
        guard let real = FileTree.realPath(path), FileTree.isWithin(real, root: realRoot) else { return nil }
        let kind = FileTree.followedKind(atPath: real)
        return kind == .file || kind == .directory ? kind : nil
    }

    /// The path's segments, or nil if it tries to leave the root or names a hidden file.
    private static func segments(of path: String) -> [String]? {
        var segments: [String] = []
        for segment in path.split(separator: "/") where segment != "." {
            if segment == ".." || segment.contains("\0") || segment.contains("\\") { return nil }
            if segment.hasPrefix(".") && segment != ".well-known" { return nil }
            segments.append(String(segment))
        }
        return segments
    }

    /// The characters a path segment may hold unescaped (RFC 3986 `pchar`).
    private static let segmentCharacters = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@")

    private static func encode(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: segmentCharacters) ?? segment
    }
}
