import Crypto
import Foundation
import HearthCore

/// Where Bases and Drive files live in an archive (Deta's export layout, spec §6.5), and
/// which entry paths are safe to accept.
public enum ArchivePath {
    /// `bases/<base>.json`. Base names hold no `/`, so this is always one safe file.
    public static func base(_ name: String) -> String { "bases/\(name).json" }

    /// `drives/<drive>/<name>`; a name that would not make a safe path (`a/../b`, `/x`, `a//b`)
    /// or a drive named `.` or `..` goes to `escaped/<sha256 of drive and name>`, and only the
    /// manifest tells what it was.
    public static func driveFile(drive: String, name: String) -> String {
        let path = "drives/\(drive)/\(name)"
        if isSafe(path) { return path }
        return "escaped/" + SHA256.hash(data: Array("\(drive)\u{0}\(name)".utf8)).hexString
    }

    /// Relative, made of non-empty segments other than `.` and `..`, with no backslash or
    /// control character: a path that cannot leave the directory it is unpacked into.
    public static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, path.utf8.count <= 4096, !path.hasPrefix("/"), !path.contains("\\") else { return false }
        guard !path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    /// What an entry of a Deta export (no manifest) holds, by its path alone.
    enum Role: Equatable {
        case base(String)
        case driveFile(drive: String, name: String)
        case other
    }

    static func role(_ path: String) -> Role {
        let segments = path.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        if segments.count == 2, segments[0] == "bases", segments[1].hasSuffix(".json") {
            let name = String(segments[1].dropLast(5))
            return isValidResourceName(name) ? .base(name) : .other
        }
        if segments.count == 3, segments[0] == "drives", isValidResourceName(segments[1]) {
            return .driveFile(drive: segments[1], name: segments[2])
        }
        return .other
    }
}
