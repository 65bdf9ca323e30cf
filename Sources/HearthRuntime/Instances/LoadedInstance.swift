import Foundation
import HearthCore
import HearthRegistry

/// An instance ready to serve: its record, its Spacefile, and what each micro is.
public struct LoadedInstance: Sendable {
    public let info: InstanceInfo
    public let layout: InstanceLayout
    public let spacefile: Spacefile
    /// Longest path first, so routing can take the first match.
    public let micros: [LoadedMicro]

    public init(info: InstanceInfo, layout: InstanceLayout, spacefile: Spacefile, micros: [LoadedMicro]) {
        self.info = info
        self.layout = layout
        self.spacefile = spacefile
        self.micros = micros.sorted { $0.micro.path.count > $1.micro.path.count }
    }

    /// The micro a request path belongs to and the path it sees, with the micro's prefix
    /// stripped (spec §5.3): `/api/x` → `/x` for a micro at `/api`; anything unclaimed goes
    /// to the primary micro unchanged.
    public func route(_ path: String) -> (micro: LoadedMicro, path: String) {
        for candidate in micros where candidate.micro.path != "/" {
            let prefix = candidate.micro.path
            if path == prefix { return (candidate, "/") }
            if path.hasPrefix(prefix), path.utf8.dropFirst(prefix.utf8.count).first == UInt8(ascii: "/") {
                return (candidate, String(path.dropFirst(prefix.count)))
            }
        }
        return (micros.first { $0.micro.primary } ?? micros[micros.count - 1], path)
    }

    /// The micro with this name.
    public func micro(named name: String) -> LoadedMicro? {
        micros.first { $0.micro.name == name }
    }
}

/// One micro of a loaded instance: a process the supervisor runs, or files the node serves.
public struct LoadedMicro: Sendable {
    public enum Target: Sendable {
        case process(MicroSpec)
        case staticSite(StaticSite)
    }

    public let micro: Micro
    public let target: Target

    public init(micro: Micro, target: Target) {
        self.micro = micro
        self.target = target
    }
}

/// Request paths as routing sees them.
public enum RequestPath {
    /// `path` with empty and `.` segments dropped and `..` resolved (never above the root), so
    /// `//api/x`, `/api//x` and `/x/../api/x` all route as `/api/x`. A trailing `/` is kept.
    /// Dot segments spelled with escapes (`%2e%2e`, `.%2E`) count as dots, as URL parsers read
    /// them (WHATWG URL); other percent-escapes are left alone.
    public static func normalized(_ path: String) -> String {
        guard path.contains("//") || path.contains("/.") || path.contains("%") || !path.hasPrefix("/") else { return path }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch dots(segment) {
            case 1: continue
            case 2: _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        let last = path.split(separator: "/", omittingEmptySubsequences: false).last.map(dots) ?? 0
        let trailing = !segments.isEmpty && (path.hasSuffix("/") || last > 0)
        return "/" + segments.joined(separator: "/") + (trailing ? "/" : "")
    }

    /// 1 for a `.` segment, 2 for `..` (either spelled with `%2e`), else 0.
    private static func dots(_ segment: Substring) -> Int {
        guard segment.utf8.count <= 6 else { return 0 }
        switch segment.lowercased().replacingOccurrences(of: "%2e", with: ".") {
        case ".": return 1
        case "..": return 2
        default: return 0
        }
    }
}
