import Foundation
import HearthCore
import HearthRegistry
import ZIPFoundation

/// Writes a whole space to one zip: per instance its app copy as a signed release
/// (`ReleaseWriter`) and its data as an instance export (`CollectionExporter`, one read
/// transaction per collection), per headless collection its export, then `hearth-space.json`.
/// The parts are written in `<data>/tmp` first; the archive is written aside and renamed.
/// Secrets (data keys, internal keys, app keys, the space's private key) are never included.
public struct SpaceExporter {
    let registry: Registry
    let layout: DataLayout
    let collections: OpenCollections
    let now: @Sendable () -> Date

    public init(registry: Registry, layout: DataLayout, masterKeyFile: URL?, now: @escaping @Sendable () -> Date = Date.init) {
        (self.registry, self.layout, self.now) = (registry, layout, now)
        collections = OpenCollections(layout: layout, masterKeyFile: masterKeyFile, registry: registry)
    }

    /// Writes the space `space` to `file`; returns the manifest.
    public func write(space: String, to file: URL, progress: SpaceProgress = SpaceProgress()) async throws -> SpaceManifest {
        try await registry.requireSpace(space)
        let record = try await registry.spaces().first { $0.id == space }.map { SpaceManifest.SpaceRecord(id: $0.id, name: $0.name) }
        let instances = try await registry.instances(space: space)
        let owned = Set(instances.map(\.id))
        let headless = try await registry.collections(space: space).filter { !owned.contains($0.id) }
        let work = layout.root.appendingPathComponent("tmp/space-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: work) }
        let identity = try SpaceIdentity.loadOrCreate(space: space, in: layout)
        var parts: [(path: String, file: URL)] = []
        var instanceRecords: [SpaceManifest.InstanceRecord] = []
        for (index, instance) in instances.enumerated() {
            progress.step("Exporting instance '\(instance.slug)' (\(index + 1) of \(instances.count))")
            let paths = SpaceManifest.instancePaths(slug: instance.slug)
            let release = work.appendingPathComponent("\(parts.count)-release.zip")
            _ = try ReleaseWriter(identity: identity, now: now).write(
                appDirectory: layout.instance(instance).app, app: instance.appName,
                version: ReleaseVersion.isValid(instance.version) ? instance.version : "0.0.0", notes: "", icon: nil, to: release)
            parts.append((paths.release, release))
            let data = work.appendingPathComponent("\(parts.count)-data.zip")
            try await exportData(instance.id, to: data, progress: progress)
            parts.append((paths.data, data))
            let env = try await registry.environment(instance: instance.id).sorted { $0.key < $1.key }
            let limits = try await registry.limitOverrides(instance: instance.id)
            instanceRecords.append(
                .init(
                    slug: instance.slug, appName: instance.appName, version: instance.version, source: instance.source,
                    env: env.map { .init(name: $0.key, value: $0.value) }, limits: limits.isEmpty ? nil : limits,
                    appKeys: try await registry.appKeys(instance: instance.id).map(\.name), release: paths.release, data: paths.data))
        }
        var collectionRecords: [SpaceManifest.CollectionRecord] = []
        for (index, collection) in headless.enumerated() {
            progress.step("Exporting collection '\(collection.name)' (\(index + 1) of \(headless.count))")
            let path = SpaceManifest.collectionPath(projectId: collection.id)
            let data = work.appendingPathComponent("\(parts.count)-data.zip")
            try await exportData(collection.id, to: data, progress: progress)
            parts.append((path, data))
            collectionRecords.append(.init(name: collection.name, projectId: collection.id, data: path))
        }
        var manifest = SpaceManifest(
            space: record ?? .init(id: space, name: space), createdAt: ISO8601DateFormatter().string(from: now()),
            instances: instanceRecords, collections: collectionRecords, entries: [])
        progress.step("Writing \(file.lastPathComponent)")
        try Self.pack(parts, manifest: &manifest, to: file)
        return manifest
    }

    /// One collection's per-instance (or per-collection) export, as `hearth export` writes it.
    private func exportData(_ id: String, to file: URL, progress: SpaceProgress) async throws {
        let (collection, source) = try await ExportManifest.Source.resolve(id, registry: registry)
        defer { collections.close(collection.id) }
        let exporter = CollectionExporter(
            base: try collections.base(collection), drive: try collections.drive(collection), source: source, now: now)
        _ = try await exporter.write(to: file, progress: progress.bytes)
    }

    /// Stores each part (zips already) with its size and SHA-256, then the manifest.
    static func pack(_ parts: [(path: String, file: URL)], manifest: inout SpaceManifest, to file: URL) throws {
        let partial = file.appendingPathExtension("partial")
        try? FileManager.default.removeItem(at: partial)
        do {
            let archive = try Archive(url: partial, accessMode: .create)
            for part in parts {
                manifest.entries.append(try StreamedEntry.add(part.file, as: part.path, to: archive))
            }
            let data = try SpaceManifest.encoder.encode(manifest)
            try archive.addEntry(
                with: SpaceManifest.path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
            guard rename(partial.path, file.path) == 0 else { throw ExportError.storage("Cannot write '\(file.path)'") }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            if let error = error as? ExportError { throw error }
            throw ExportError.storage("Cannot write the space archive", error)
        }
    }
}
