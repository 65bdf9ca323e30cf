import Foundation

/// Copies an app's directory tree, leaving out ignored paths (never the `Spacefile` nor a
/// root `Discovery.md`: the installed copy is read back, and releases are made from it), symlinks that lead outside it and anything that is neither
/// file, directory nor symlink.
struct AppCopier {
    /// The source root, canonical.
    let source: String
    let destination: String
    let rules: IgnoreRules
    /// A directory never to copy (the instance directory, when it lies inside the source).
    let excluded: String?

    /// Root files copied whatever the ignore rules say. Deta leaves `Discovery.md` out of the
    /// code it ships; here the installed copy is what `hearth release` packs, so it stays.
    static let alwaysKept: Set<String> = ["Spacefile", "Discovery.md"]

    private(set) var fileCount = 0
    private(set) var byteCount: Int64 = 0
    private(set) var skippedLinks = 0

    init(source: String, destination: String, rules: IgnoreRules, excluded: String?) {
        self.source = source
        self.destination = destination
        self.rules = rules
        self.excluded = excluded
    }

    mutating func copy() throws(BuildError) {
        try makeDirectory(destination)
        try copyContents(of: "")
    }

    private mutating func copyContents(of relativeDirectory: String) throws(BuildError) {
        let directory = relativeDirectory.isEmpty ? source : source + "/" + relativeDirectory
        let names = try withStorageErrors("Could not read the app's directory \(relativeDirectory)") {
            try FileManager.default.contentsOfDirectory(atPath: directory)
        }
        for name in names.sorted() {
            let relative = relativeDirectory.isEmpty ? name : relativeDirectory + "/" + name
            let from = source + "/" + relative
            let to = destination + "/" + relative
            switch FileTree.kind(atPath: from) {
            case .directory:
                guard from != excluded, !rules.isIgnored(relative, isDirectory: true) else { continue }
                try makeDirectory(to)
                try copyContents(of: relative)
            case .file:
                guard Self.alwaysKept.contains(relative) || !rules.isIgnored(relative, isDirectory: false) else { continue }
                try copyFile(from, to)
            case .symlink:
                guard !rules.isIgnored(relative, isDirectory: FileTree.followedKind(atPath: from) == .directory) else { continue }
                try copyLink(from, to)
            case .other, nil:
                continue
            }
        }
    }

    private func makeDirectory(_ path: String) throws(BuildError) {
        try withStorageErrors("Could not create the app's copy") {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        }
    }

    private mutating func copyFile(_ from: String, _ to: String) throws(BuildError) {
        let size = try withStorageErrors("Could not copy the app's files") {
            let manager = FileManager.default
            try manager.copyItem(atPath: from, toPath: to)
            let attributes = try manager.attributesOfItem(atPath: from)
            if let modified = attributes[.modificationDate] {
                try manager.setAttributes([.modificationDate: modified], ofItemAtPath: to)
            }
            return (attributes[.size] as? NSNumber)?.int64Value ?? 0
        }
        fileCount += 1
        byteCount += size
    }

    /// Recreates a symlink as a relative one if it resolves inside the source; skips it otherwise.
    private mutating func copyLink(_ from: String, _ to: String) throws(BuildError) {
        guard let target = FileTree.realPath(from), FileTree.isWithin(target, root: source) else {
            skippedLinks += 1
            return
        }
        let parent = (from as NSString).deletingLastPathComponent
        let relativeTarget = FileTree.relativePath(from: parent, to: target)
        try withStorageErrors("Could not copy the app's files") {
            try FileManager.default.createSymbolicLink(atPath: to, withDestinationPath: relativeTarget)
        }
    }
}
