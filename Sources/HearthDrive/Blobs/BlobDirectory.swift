import Foundation
import HearthCore

/// Where a collection's Drive keeps its blob files: `drive/blobs/<first two hex digits>/<id>`,
/// ids being 32 random hex digits. A blob file belongs to a file or an upload only once the
/// database says so; until then (or after) it is an orphan that `orphans` finds.
struct BlobDirectory: Sendable {
    let root: URL
    private let rootPath: String

    init(driveDirectory: URL) {
        root = driveDirectory.appendingPathComponent("blobs")
        rootPath = root.path
    }

    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }.hexString
    }

    func url(_ id: String) -> URL {
        URL(fileURLWithPath: path(id))
    }

    /// The file path of blob `id`, built without Foundation's URL machinery (downloads open
    /// one per part).
    func path(_ id: String) -> String {
        "\(rootPath)/\(id.prefix(2))/\(id)"
    }

    /// The path for a new blob, creating (durably) its fan-out directory if needed.
    func prepare(_ id: String) throws -> URL {
        let url = url(id)
        let directory = url.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: directory.path) {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try FileDescriptorIO.syncFile(at: root)
            try FileDescriptorIO.syncFile(at: root.deletingLastPathComponent())
        }
        return url
    }

    /// Deletes blob files; missing ones are fine.
    func remove(_ ids: [String]) {
        for id in ids { unlink(path(id)) }
    }

    /// Ids of the blob files last modified before `date`.
    func files(modifiedBefore date: Date) -> [String] {
        let manager = FileManager.default
        guard let fanOut = try? manager.contentsOfDirectory(atPath: root.path) else { return [] }
        var ids: [String] = []
        for directory in fanOut where directory.count == 2 {
            let path = root.appendingPathComponent(directory)
            for name in (try? manager.contentsOfDirectory(atPath: path.path)) ?? [] {
                let attributes = try? manager.attributesOfItem(atPath: path.appendingPathComponent(name).path)
                if let modified = attributes?[.modificationDate] as? Date, modified < date { ids.append(name) }
            }
        }
        return ids
    }
}
