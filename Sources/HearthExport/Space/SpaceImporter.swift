import Foundation
import HearthCore
import HearthRegistry

/// Recreates a space from a checked archive (`SpaceImportPlan`), all or nothing: the space,
/// then each instance installed from its release through `AppInstalling` (same slug when
/// free; new keys), its configuration and limits set and its data imported
/// (`ArchiveImport`), then each headless collection. On any failure every instance and
/// collection it made is removed, and the space too if it made it.
public struct SpaceImporter {
    let layout: DataLayout
    let registry: Registry
    let masterKeyFile: URL?
    let installer: any AppInstalling
    let freeBytes: @Sendable (URL) -> Int64?

    public init(
        layout: DataLayout, registry: Registry, masterKeyFile: URL?, installer: any AppInstalling,
        freeBytes: @escaping @Sendable (URL) -> Int64? = { CollectionImporter.freeBytes($0) }
    ) {
        (self.layout, self.registry, self.masterKeyFile, self.installer, self.freeBytes) =
            (layout, registry, masterKeyFile, installer, freeBytes)
    }

    /// What was made.
    public struct Result: Sendable {
        public var space: String
        public var instances: [(record: SpaceManifest.InstanceRecord, instance: InstanceInfo)] = []
        public var collections: [(info: CollectionInfo, key: DataKey)] = []
    }

    /// Imports into `space`: a new space (made here, with `owner` when given), or an existing
    /// one that has no instances and no collections (a fresh node's `default`).
    public func run(
        _ plan: SpaceImportPlan, work: URL, space: String, owner: (username: String, passphrase: String)?,
        progress: SpaceProgress = SpaceProgress()
    ) async throws -> Result {
        let space = space.lowercased()
        guard space != "." && space != ".." else { throw RegistryError(RegistryError.badName, "'\(space)' cannot name a space") }
        let created = try await prepareSpace(space, name: plan.manifest.space, owner: owner)
        if let free = freeBytes(layout.root), free < plan.neededBytes {
            try? await removeSpace(space, created: created)
            throw ExportError(ExportError.noSpace, "Not enough disk space: the import needs \(plan.neededBytes) bytes, \(free) are free")
        }
        var result = Result(space: space)
        do {
            try await install(plan, work: work, into: &result, progress: progress)
            if let owner, !created {
                _ = try await registry.createOwner(space: space, username: owner.username, passphrase: owner.passphrase)
            }
            return result
        } catch {
            let undone = await undo(result, created: created)
            let base = (error as? any HearthError)?.message ?? "The import failed: \(error)"
            throw ExportError((error as? ExportError)?.code ?? ExportError.storage, base + " " + undone, cause: error)
        }
    }

    private func install(_ plan: SpaceImportPlan, work: URL, into result: inout Result, progress: SpaceProgress) async throws {
        let importer = ArchiveImport(layout: layout, registry: registry, masterKeyFile: masterKeyFile, freeBytes: freeBytes)
        for (index, planned) in plan.instances.enumerated() {
            let record = planned.record
            progress.step("Installing instance '\(record.slug)' (\(index + 1) of \(plan.instances.count))")
            let app = work.appendingPathComponent("app-\(index)")
            _ = try ReleaseVerifier().unpack(planned.release, into: app)
            let instance = try await installer.install(
                app: app, slug: record.slug, appName: record.appName, version: record.version, origin: record.source,
                space: result.space)
            result.instances.append((record, instance))
            try? FileManager.default.removeItem(at: app)
            for variable in record.env {
                try await registry.setEnvironment(instance: instance.id, name: variable.name, value: variable.value)
            }
            if let limits = record.limits { try await registry.setLimits(instance: instance.id, limits, reset: true) }
            // The collection is the new instance's own: anything in it came from the app in
            // the last seconds, and the archive's data replaces it.
            try await importer.into(instance.collection, planned.plan, archive: planned.data, replace: true, progress: progress.bytes)
        }
        for (index, planned) in plan.collections.enumerated() {
            progress.step("Importing collection '\(planned.record.name)' (\(index + 1) of \(plan.collections.count))")
            let made = try await importer.intoNewCollection(
                planned.plan, archive: planned.data, name: planned.record.name, space: result.space, progress: progress.bytes)
            result.collections.append((made.0, made.1))
        }
    }

    /// Creates the space, or checks that an existing one is empty; whether it was created.
    private func prepareSpace(
        _ space: String, name: SpaceManifest.SpaceRecord, owner: (username: String, passphrase: String)?
    ) async throws -> Bool {
        guard try await registry.spaces().contains(where: { $0.id == space }) else {
            _ = try await registry.createSpace(space, name: space == name.id ? name.name : nil, owner: owner)
            return true
        }
        let instances = try await registry.instances(space: space), collections = try await registry.collections(space: space)
        guard instances.isEmpty && collections.isEmpty else {
            throw ExportError(
                ExportError.conflict,
                "Space '\(space)' exists and has instances or collections; import into a new space with --name NEW_SPACE")
        }
        if owner != nil, try await registry.owners().contains(where: { $0.space == space }) {
            throw ExportError(ExportError.conflict, "Space '\(space)' already has an owner; leave out --owner")
        }
        return false
    }

    /// Removes what the import made; says what, for the error message.
    private func undo(_ result: Result, created: Bool) async -> String {
        for (_, instance) in result.instances.reversed() { try? await installer.remove(instance) }
        for (info, _) in result.collections.reversed() {
            try? await registry.removeCollection(info.id)
            try? FileManager.default.removeItem(at: layout.resolve(info.path))
        }
        if created { try? await removeSpace(result.space, created: true) }
        let parts =
            ["\(result.instances.count) instances", "\(result.collections.count) collections"]
            + (created ? ["the space '\(result.space)'"] : [])
        return "Nothing was kept: removed what the import had made (\(parts.joined(separator: ", ")))."
    }

    private func removeSpace(_ space: String, created: Bool) async throws {
        guard created else { return }
        try await registry.removeSpace(space)
        try? FileManager.default.removeItem(at: layout.root.appendingPathComponent("spaces/\(space)"))
    }
}
