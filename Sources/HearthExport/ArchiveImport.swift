import Foundation
import HearthCore
import HearthRegistry

/// Imports a checked archive on a node's data directory: into a new collection (written
/// where it will live but registered only once complete, so a failed import leaves nothing
/// any command or node can see) or into an existing one (`CollectionImporter`'s transaction).
public struct ArchiveImport {
    let layout: DataLayout
    let registry: Registry
    let masterKeyFile: URL?
    let limits: ArchiveLimits
    let freeBytes: (URL) -> Int64?

    public init(
        layout: DataLayout, registry: Registry, masterKeyFile: URL?, limits: ArchiveLimits = ArchiveLimits(),
        freeBytes: @escaping (URL) -> Int64? = CollectionImporter.freeBytes
    ) {
        (self.layout, self.registry, self.masterKeyFile, self.limits, self.freeBytes) = (layout, registry, masterKeyFile, limits, freeBytes)
    }

    /// Creates a collection named `name` (default: the exported collection's name, or the
    /// archive's, with `-2`, `-3`… if taken) holding the archive's data.
    public func intoNewCollection(
        _ plan: ImportPlan, archive: URL, name: String?, space: String, progress: (Int64, Int64) -> Void = { _, _ in }
    ) async throws -> (CollectionInfo, DataKey) {
        let name = try await collectionName(name, plan: plan, archive: archive, space: space)
        let id = Secrets.identifier()
        let info = CollectionInfo(
            id: id, space: space, name: name, path: DataLayout.collectionPath(space: space, projectID: id), createdAt: Date())
        let directory = layout.resolve(info.path)
        guard !FileManager.default.fileExists(atPath: directory.path) else {
            throw ExportError.storage("The directory for a new collection exists already; try again")
        }
        do {
            let collections = OpenCollections(layout: layout, masterKeyFile: masterKeyFile)
            try await write(plan, archive: archive, into: info, collections: collections, progress: progress)
            return try await registry.createCollection(name: name, space: space, id: id)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    /// Writes the archive's data into an existing collection; with `replace`, over Bases and
    /// Drives of the same names.
    public func into(
        _ collection: CollectionInfo, _ plan: ImportPlan, archive: URL, replace: Bool, progress: (Int64, Int64) -> Void = { _, _ in }
    ) async throws {
        let collections = OpenCollections(layout: layout, masterKeyFile: masterKeyFile, registry: registry)
        try await write(plan, archive: archive, into: collection, collections: collections, replace: replace, progress: progress)
    }

    private func write(
        _ plan: ImportPlan, archive: URL, into collection: CollectionInfo, collections: OpenCollections, replace: Bool = false,
        progress: (Int64, Int64) -> Void = { _, _ in }
    ) async throws {
        defer { collections.close(collection.id) }
        let importer = CollectionImporter(plan: plan, archive: archive, limits: limits, freeBytes: freeBytes)
        try importer.checkFreeSpace(at: layout.root)
        let base = try collections.base(collection)
        let drive = try collections.drive(collection)
        try await importer.write(base: base, drive: drive, directory: layout.root, replace: replace, progress: progress)
    }

    private func collectionName(_ given: String?, plan: ImportPlan, archive: URL, space: String) async throws -> String {
        if let given {
            try Registry.validateName(given, what: "Collection name")
            guard try await registry.hasCollection(named: given, space: space) == false else {
                throw ExportError(ExportError.conflict, "A collection named '\(given)' already exists")
            }
            return given
        }
        let stem = plan.manifest?.source.collection ?? archive.deletingPathExtension().lastPathComponent
        var base = String(
            stem.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) ? Character($0) : "-" })
        base = String(base.prefix(56))
        if base.isEmpty { base = "imported" }
        var name = base, suffix = 1
        while try await registry.hasCollection(named: name, space: space) {
            suffix += 1
            name = "\(base)-\(suffix)"
        }
        return name
    }
}
