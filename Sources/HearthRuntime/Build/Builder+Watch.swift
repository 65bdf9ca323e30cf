import Foundation

extension Builder {
    /// A fingerprint of what `stage` would copy from `source`: the path, size and modification
    /// time of every file the ignore rules keep. `hearth dev` compares fingerprints to see
    /// when to rebuild; nil if the directory cannot be read.
    public func sourceFingerprint(of source: URL) -> Int? {
        guard let root = FileTree.realPath(source.path),
            let rules = try? IgnoreRules.spaceDefaults.appending(readSpaceIgnore(in: root))
        else { return nil }
        var hasher = Hasher()
        walk(root, relative: "", rules: rules, into: &hasher)
        return hasher.finalize()
    }

    private func walk(_ root: String, relative directory: String, rules: IgnoreRules, into hasher: inout Hasher) {
        let path = directory.isEmpty ? root : root + "/" + directory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for name in names.sorted() {
            let relative = directory.isEmpty ? name : directory + "/" + name
            var info = stat()
            guard lstat(root + "/" + relative, &info) == 0 else { continue }
            let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
            guard relative == "Spacefile" || !rules.isIgnored(relative, isDirectory: isDirectory) else { continue }
            hasher.combine(relative)
            if isDirectory {
                walk(root, relative: relative, rules: rules, into: &hasher)
            } else {
                hasher.combine(info.st_size)
                hasher.combine(info.st_mtim.tv_sec)
                hasher.combine(info.st_mtim.tv_nsec)
            }
        }
    }
}
