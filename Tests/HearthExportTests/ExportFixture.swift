import Foundation
import HearthBase
import HearthCore
import HearthDrive
import HearthExport
import HearthRegistry
import ZIPFoundation

/// Collections on a temporary data directory, and archives built entry by entry.
struct ExportFixture {
    let root: URL
    let collections: OpenCollections

    init(root: URL) {
        self.root = root
        collections = OpenCollections(layout: DataLayout(root: root))
    }

    func stores(_ id: String) throws -> (BaseStore, DriveStore) {
        let info = CollectionInfo(id: id, space: "default", name: id, path: "c/\(id)", createdAt: Date())
        return (try collections.base(info), try collections.drive(info))
    }

    static let source = ExportManifest.Source(kind: "collection", collection: "notes", projectId: "c1", space: "default")

    /// Fills a collection with items of every JSON kind and Drive files, one with `/` in its name.
    static func fill(_ base: BaseStore, _ drive: DriveStore) async throws {
        let items = [
            #"{"key":"a","n":1.50,"big":12345678901234567890,"nested":{"x":[1,{"y":null}],"t":true}}"#,
            #"{"key":"b/ü","text":"héllo ✓","__expires":4102444800}"#,
            #"{"key":"c","list":[]}"#,
        ]
        _ = try await base.put(base: "notes", values: try items.map { try JSONParser.parse($0) })
        _ = try await base.put(base: "empty-later", values: [try JSONParser.parse(#"{"key":"x"}"#)])
        try await base.delete(base: "empty-later", key: "x")
        try await put(drive, "photos", "a/b/c.txt", Array("hello".utf8))
        try await put(drive, "photos", "big.bin", (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try await put(drive, "docs", "empty", [])
    }

    static func put(_ drive: DriveStore, _ name: String, _ file: String, _ content: [UInt8]) async throws {
        let writer = try await drive.newWriter()
        try writer.append(content)
        try await drive.commitFile(drive: name, name: file, contentType: nil, writer: writer)
    }

    /// Every entry of a zip as (path, content), in order.
    static func entries(_ url: URL) throws -> [(String, Data)] {
        let archive = try Archive(url: url, accessMode: .read)
        return try archive.map { entry in
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            return (entry.path, data)
        }
    }

    /// Writes a zip of `entries`; a `nil` content makes a symbolic link to `/etc/passwd`.
    static func write(_ entries: [(String, Data?)], to url: URL, compress: Bool = true) throws {
        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create)
        for (path, content) in entries {
            let data = content ?? Data("/etc/passwd".utf8)
            try archive.addEntry(
                with: path, type: content == nil ? .symlink : path.hasSuffix("/") ? .directory : .file,
                uncompressedSize: Int64(data.count),
                compressionMethod: compress && content != nil ? .deflate : .none,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
    }
}
