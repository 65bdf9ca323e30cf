import Foundation
import HearthCore
import HearthRegistry

/// Checks a space archive and unpacks its parts for an import, refusing anything unsafe or
/// inconsistent before a single instance is installed: the outer zip gets every check of
/// `ArchiveEntries` (safe paths, no links or duplicates, sizes, ratio, CRCs) and must match
/// `hearth-space.json` exactly; each part is written to the work directory hashed against it,
/// then each release is verified (`ReleaseVerifier`) and each data export inspected
/// (`ArchiveInspector`).
public struct SpaceArchiveReader: Sendable {
    public var limits: ArchiveLimits
    public var inspector: ArchiveInspector
    /// Free bytes on the file system holding a path; `nil` when unknown.
    public var freeBytes: @Sendable (URL) -> Int64?

    public init(
        limits: ArchiveLimits = ArchiveLimits(), inspector: ArchiveInspector = ArchiveInspector(),
        freeBytes: @escaping @Sendable (URL) -> Int64? = { CollectionImporter.freeBytes($0) }
    ) {
        (self.limits, self.inspector, self.freeBytes) = (limits, inspector, freeBytes)
    }

    /// The checked plan of the archive at `url`, its parts unpacked into `work` (which must
    /// exist; the caller removes it).
    public func read(_ url: URL, work: URL) throws(ExportError) -> SpaceImportPlan {
        let entries = try ArchiveEntries(url: url, limits: limits)
        let manifest = try Self.manifest(entries)
        try Self.checkListing(manifest, entries)
        if let free = freeBytes(work), free < entries.totalBytes + (16 << 20) {
            throw ExportError(ExportError.noSpace, "Not enough disk space: unpacking needs \(entries.totalBytes) bytes, \(free) are free")
        }
        var unpacked: [String: URL] = [:]
        for (index, entry) in manifest.entries.enumerated() {
            let file = work.appendingPathComponent("part-\(index).zip")
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                throw ExportError.storage("Cannot write in '\(work.path)'")
            }
            let hash: String
            do {
                let handle = try FileHandle(forWritingTo: file)
                defer { try? handle.close() }
                hash = try entries.read(entry.path) { try handle.write(contentsOf: $0) }
            } catch {
                throw CollectionImporter.wrap(error)
            }
            guard hash == entry.sha256 else { throw .bad("Entry '\(entry.path)' does not match its size and SHA-256 in the manifest") }
            unpacked[entry.path] = file
        }
        var instances: [SpaceImportPlan.PlannedInstance] = []
        for record in manifest.instances {
            let release = unpacked[record.release]!, data = unpacked[record.data]!
            try within("instance '\(record.slug)', its app") { () throws(ExportError) in _ = try ReleaseVerifier().verify(release) }
            let plan = try within("instance '\(record.slug)', its data") { () throws(ExportError) in try inspector.inspect(data) }
            guard plan.manifest != nil else { throw .bad("The data of instance '\(record.slug)' has no export manifest") }
            let size = Int64(manifest.entries.first { $0.path == record.release }!.size)
            instances.append(.init(record: record, release: release, releaseBytes: size, data: data, plan: plan))
        }
        var collections: [SpaceImportPlan.PlannedCollection] = []
        for record in manifest.collections {
            let data = unpacked[record.data]!
            let plan = try within("collection '\(record.name)'") { () throws(ExportError) in try inspector.inspect(data) }
            guard plan.manifest != nil else { throw .bad("The data of collection '\(record.name)' has no export manifest") }
            collections.append(.init(record: record, data: data, plan: plan))
        }
        return SpaceImportPlan(manifest: manifest, instances: instances, collections: collections)
    }

    static func manifest(_ entries: ArchiveEntries) throws(ExportError) -> SpaceManifest {
        guard entries.files[SpaceManifest.path] != nil else {
            // A truncated space archive can end inside a stored part, whose own end record then
            // looks like the archive's: it has no manifest either.
            throw .bad("Not a space archive, or it is truncated: \(SpaceManifest.path) is missing")
        }
        let manifest: SpaceManifest
        do {
            manifest = try SpaceManifest.decoder.decode(
                SpaceManifest.self, from: Data(try entries.data(SpaceManifest.path, limit: 1 << 26)))
        } catch let error as ExportError {
            throw error
        } catch {
            throw ExportError(ExportError.badArchive, "The manifest \(SpaceManifest.path) is not valid", cause: error)
        }
        guard manifest.format == SpaceManifest.formatName, manifest.version <= SpaceManifest.currentVersion else {
            throw .bad("The manifest is of format \(manifest.format) version \(manifest.version), which this Hearth cannot read")
        }
        return manifest
    }

    /// The manifest and the entries agree exactly (names and sizes; hashes as parts unpack),
    /// and every instance and collection names valid, distinct parts.
    static func checkListing(_ manifest: SpaceManifest, _ entries: ArchiveEntries) throws(ExportError) {
        var listed: Set<String> = []
        for entry in manifest.entries {
            guard let file = entries.files[entry.path] else { throw .bad("The manifest lists '\(entry.path)', which the archive lacks") }
            guard Int64(clamping: file.uncompressedSize) == entry.size, listed.insert(entry.path).inserted else {
                throw .bad("Entry '\(entry.path)' does not match its size and SHA-256 in the manifest")
            }
        }
        for path in entries.order where path != SpaceManifest.path && !listed.contains(path) {
            throw .bad("Entry '\(path)' is not in the manifest")
        }
        var used: Set<String> = [], slugs: Set<String> = [], names: Set<String> = []
        for record in manifest.instances {
            guard Registry.slugify(record.slug) == record.slug, slugs.insert(record.slug).inserted else {
                throw .bad("The manifest's instance '\(record.slug)' has an invalid or repeated name")
            }
            for path in [record.release, record.data] {
                guard listed.contains(path), used.insert(path).inserted else {
                    throw .bad("The manifest's instance '\(record.slug)' names a missing or shared entry '\(path)'")
                }
            }
        }
        for record in manifest.collections {
            guard (try? Registry.validateName(record.name, what: "")) != nil, names.insert(record.name).inserted else {
                throw .bad("The manifest's collection '\(record.name)' has an invalid or repeated name")
            }
            guard listed.contains(record.data), used.insert(record.data).inserted else {
                throw .bad("The manifest's collection '\(record.name)' names a missing or shared entry '\(record.data)'")
            }
        }
    }

    /// Runs `check`, naming the part in its error.
    private func within<T>(_ part: String, _ check: () throws(ExportError) -> T) throws(ExportError) -> T {
        do throws(ExportError) {
            return try check()
        } catch {
            throw ExportError(error.code, "In \(part): \(error.message)", cause: error)
        }
    }
}
