import Foundation
import HearthBase
import HearthCore
import HearthDrive

/// Checks a whole archive before an import writes anything: safe entries (`ArchiveEntries`),
/// every entry's content read back, and against the manifest when there is one (each entry's
/// size and SHA-256, each Base's item count and canonical hash); Base items by Deta's rules.
/// Without a manifest the archive is read as a Deta export by its layout alone.
public struct ArchiveInspector: Sendable {
    public var limits: ArchiveLimits
    public var itemLimits: BaseLimits
    public var driveLimits: DriveLimits

    public init(limits: ArchiveLimits = ArchiveLimits(), itemLimits: BaseLimits = BaseLimits(), driveLimits: DriveLimits = DriveLimits()) {
        (self.limits, self.itemLimits, self.driveLimits) = (limits, itemLimits, driveLimits)
    }

    public func inspect(_ url: URL) throws(ExportError) -> ImportPlan {
        let entries = try ArchiveEntries(url: url, limits: limits)
        var hashes: [String: String] = [:]
        for path in entries.order where path != ExportManifest.path { hashes[path] = try entries.read(path) }
        if entries.files[ExportManifest.path] != nil {
            return try plan(entries, hashes: hashes, manifest: try manifest(entries))
        }
        return try plan(entries, hashes: hashes)
    }

    private func manifest(_ entries: ArchiveEntries) throws(ExportError) -> ExportManifest {
        let manifest: ExportManifest
        do {
            manifest = try ExportManifest.decoder.decode(
                ExportManifest.self, from: Data(try entries.data(ExportManifest.path, limit: 1 << 28)))
        } catch let error as ExportError {
            throw error
        } catch {
            throw ExportError(ExportError.badArchive, "The manifest \(ExportManifest.path) is not valid", cause: error)
        }
        guard manifest.format == ExportManifest.formatName, manifest.version <= ExportManifest.currentVersion else {
            throw .bad("The manifest is of format \(manifest.format) version \(manifest.version), which this Hearth cannot read")
        }
        return manifest
    }

    /// A Hearth archive: the manifest and the entries must agree exactly.
    private func plan(_ entries: ArchiveEntries, hashes: [String: String], manifest: ExportManifest) throws(ExportError) -> ImportPlan {
        var listed: [String: ExportManifest.Entry] = [:]
        for entry in manifest.entries {
            guard let file = entries.files[entry.path] else { throw .bad("The manifest lists '\(entry.path)', which the archive lacks") }
            guard Int64(clamping: file.uncompressedSize) == entry.size, hashes[entry.path] == entry.sha256 else {
                throw .bad("Entry '\(entry.path)' does not match its size and SHA-256 in the manifest")
            }
            listed[entry.path] = entry
        }
        for path in entries.order where path != ExportManifest.path && listed[path] == nil {
            throw .bad("Entry '\(path)' is not in the manifest")
        }
        var bases: [ImportPlan.PlannedBase] = []
        for summary in manifest.bases {
            guard isValidResourceName(summary.name), listed[summary.path] != nil else {
                throw .bad("The manifest's Base '\(summary.name)' has no valid entry")
            }
            let items = try BaseFile.decode(
                try entries.data(summary.path, limit: limits.maxBaseFileBytes), base: summary.name, limits: itemLimits)
            guard items.count == summary.items, BaseFile.canonicalHash(items.map(\.json)) == summary.sha256 else {
                throw .bad("Base '\(summary.name)' does not match its item count and hash in the manifest")
            }
            bases.append(.init(name: summary.name, items: items))
        }
        var drives: [ImportPlan.PlannedDrive] = []
        for summary in manifest.drives {
            try validateDrive(summary.name)
            var drive = ImportPlan.PlannedDrive(name: summary.name, files: [])
            for file in summary.files {
                try validateFile(file.name, drive: summary.name)
                guard let entry = listed[file.path], entry.size == file.size, entry.sha256 == file.sha256 else {
                    throw .bad("Drive '\(summary.name)': file '\(file.name)' does not match its entry in the manifest")
                }
                drive.files.append(
                    .init(path: file.path, name: file.name, size: file.size, sha256: file.sha256, contentType: file.contentType))
            }
            drives.append(drive)
        }
        try checkUnique(bases.map(\.name), drives.map(\.name))
        return ImportPlan(manifest: manifest, bases: bases, drives: drives, totalBytes: entries.totalBytes, skipped: [])
    }

    /// A Deta export: `bases/<name>.json` and `drives/<drive>/<name>`; anything else is skipped.
    private func plan(_ entries: ArchiveEntries, hashes: [String: String]) throws(ExportError) -> ImportPlan {
        var bases: [ImportPlan.PlannedBase] = [], files: [String: [ImportPlan.PlannedFile]] = [:], skipped: [String] = []
        for path in entries.order {
            switch ArchivePath.role(path) {
            case .base(let name):
                let items = try BaseFile.decode(try entries.data(path, limit: limits.maxBaseFileBytes), base: name, limits: itemLimits)
                bases.append(.init(name: name, items: items))
            case .driveFile(let drive, let name):
                try validateFile(name, drive: drive)
                let size = Int64(clamping: entries.files[path]!.uncompressedSize)
                files[drive, default: []].append(.init(path: path, name: name, size: size, sha256: hashes[path]!, contentType: nil))
            case .other:
                skipped.append(path)
            }
        }
        guard !bases.isEmpty || !files.isEmpty else { throw .bad("The archive holds no bases/*.json and no drives/*/ files") }
        let drives = files.keys.sorted().map { ImportPlan.PlannedDrive(name: $0, files: files[$0]!) }
        return ImportPlan(
            manifest: nil, bases: bases.sorted { $0.name < $1.name }, drives: drives, totalBytes: entries.totalBytes, skipped: skipped)
    }

    private func validateDrive(_ name: String) throws(ExportError) {
        guard isValidResourceName(name) else { throw .bad("Invalid Drive name '\(name)'") }
    }

    private func validateFile(_ name: String, drive: String) throws(ExportError) {
        do {
            try DriveName.validate(name, maxBytes: driveLimits.maxNameBytes)
        } catch {
            throw .bad("Drive '\(drive)', file '\(name)': \(error.message)")
        }
    }

    private func checkUnique(_ bases: [String], _ drives: [String]) throws(ExportError) {
        guard Set(bases).count == bases.count, Set(drives).count == drives.count else {
            throw .bad("The manifest names a Base or Drive twice")
        }
    }
}
