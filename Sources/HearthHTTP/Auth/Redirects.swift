import Foundation
import Hummingbird

/// Where sign-in redirects may lead: only to paths on the node, with their parts encoded.
enum Redirects {
    /// A local path to redirect to, or `/` for anything that could leave the node.
    static func safePath(_ path: String?) -> String {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"),
            !path.unicodeScalars.contains(where: { $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F })
        else { return "/" }
        return path
    }

    /// A 303 to `location`, never cached.
    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// `text` percent-encoded for a query value (`/` kept, for readable paths).
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? ""
    }
}

/// An absolute `http(s)://authority/path?query` URL, split the way the handoff needs it.
struct InstanceURL {
    let authority: String
    let pathAndQuery: String

    init?(_ text: String) {
        guard let scheme = text.range(of: "://"), ["http", "https"].contains(text[..<scheme.lowerBound].lowercased()) else { return nil }
        let rest = text[scheme.upperBound...]
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard end > rest.startIndex, !rest[..<end].contains("@") else { return nil }
        authority = String(rest[..<end])
        let tail = rest[end...].prefix { $0 != "#" }
        pathAndQuery = tail.hasPrefix("/") ? String(tail) : "/" + tail
    }
}
