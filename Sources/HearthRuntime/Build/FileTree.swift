import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Small file-system operations the pipeline needs with exact POSIX meaning: no symlink is
/// followed unless the name says so.
enum FileTree {
    enum Kind { case file, directory, symlink, other }

    /// What is at `path` itself (`lstat`), or nil if nothing is.
    static func kind(atPath path: String) -> Kind? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return kind(of: info.st_mode)
    }

    /// What `path` leads to after following symlinks (`stat`), or nil if nothing does.
    static func followedKind(atPath path: String) -> Kind? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return kind(of: info.st_mode)
    }

    private static func kind(of mode: mode_t) -> Kind {
        switch mode & S_IFMT {
        case S_IFREG: .file
        case S_IFDIR: .directory
        case S_IFLNK: .symlink
        default: .other
        }
    }

    /// The canonical absolute path with every symlink resolved, or nil if it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether `path` is `root` or lies below it (both absolute, canonical or standardized alike).
    static func isWithin(_ path: String, root: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// The relative path that leads from directory `base` to `target` (both canonical).
    static func relativePath(from base: String, to target: String) -> String {
        let from = base.split(separator: "/")
        let to = target.split(separator: "/")
        let common = zip(from, to).prefix { $0 == $1 }.count
        let parts = Array(repeating: "..", count: from.count - common) + to.dropFirst(common).map(String.init)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// Removes the write bits of every file and directory below `root` and lets everyone read
    /// them (`a-w,a+rX`: the sandboxed micro runs as a user of its own); symlinks are left alone.
    static func makeReadOnly(_ root: String) throws(BuildError) {
        try forEachEntry(below: root, directoriesLast: true) { path, kind throws(BuildError) in
            switch kind {
            case .directory: try changeMode(path) { ($0 & ~0o222) | 0o555 }
            case .file: try changeMode(path) { ($0 & ~0o222) | 0o444 | ($0 & 0o100 != 0 ? 0o111 : 0) }
            default: break
            }
        }
    }

    /// Deletes the tree at `root`, first giving its directories back their owner write bit.
    /// Nothing there is not an error.
    static func remove(_ root: String) throws(BuildError) {
        guard kind(atPath: root) != nil else { return }
        if kind(atPath: root) == .directory {
            try forEachEntry(below: root, directoriesLast: false) { path, kind throws(BuildError) in
                if kind == .directory { try changeMode(path) { $0 | 0o700 } }
            }
        }
        try withStorageErrors("Could not remove an old copy of the app") {
            try FileManager.default.removeItem(atPath: root)
        }
    }

    private static func changeMode(_ path: String, _ change: (mode_t) -> mode_t) throws(BuildError) {
        var info = stat()
        guard lstat(path, &info) == 0, chmod(path, change(info.st_mode & 0o7777)) == 0 else {
            let cause = POSIXErrorCode(rawValue: errno).map { POSIXError($0) }
            throw BuildError.storage("Could not change the permissions of the app's files", cause)
        }
    }

    /// Visits `root` and everything below it (symlinks are visited, never followed).
    private static func forEachEntry(
        below root: String, directoriesLast: Bool, _ visit: (String, Kind) throws(BuildError) -> Void
    ) throws(BuildError) {
        guard let kind = kind(atPath: root) else { return }
        guard kind == .directory else { return try visit(root, kind) }
        if !directoriesLast { try visit(root, kind) }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for name in names {
            try forEachEntry(below: root + "/" + name, directoriesLast: directoriesLast, visit)
        }
        if directoriesLast { try visit(root, kind) }
    }
}
