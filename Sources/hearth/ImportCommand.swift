import ArgumentParser
import Foundation
import HearthExport
import HearthRegistry

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Recreate Bases and Drives from an export archive (Hearth's, or a Deta Space export zip).",
        discussion: """
            The whole archive is checked before anything is written: safe entry paths, no links \
            or duplicates, sizes and compression ratios, every entry against the manifest's \
            SHA-256, Base items by Deta's rules, free disk space. The import is all or nothing. \
            Without --into it creates a new collection; an instance's export becomes a plain \
            collection holding its data (the app itself is installed separately).
            """)

    @OptionGroup var options: DataOptions
    @Option(help: ArgumentHelp("The node master key file (default: $HEARTH_MASTER_KEY or <data>/secrets/master.key).", valueName: "file"))
    var masterKey: String?
    @Argument(help: "The archive to import.", completion: .file())
    var file: String
    @Option(help: ArgumentHelp("An existing instance or collection to import into.", valueName: "target"))
    var into: String?
    @Option(help: "The new collection's name (default: the exported collection's name).")
    var name: String?
    @Option(help: "The space of the new collection.")
    var space = Registry.defaultSpace
    @Flag(help: "With --into, replace Bases and Drives of the same names that hold data.")
    var replace = false
    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if into != nil && name != nil { throw ValidationError("--name is for a new collection; it cannot go with --into.") }
        if replace && into == nil { throw ValidationError("--replace goes with --into.") }
    }

    func run() async throws {
        let archive = URL(fileURLWithPath: file)
        let plan = try await failing { try ArchiveInspector().inspect(archive) }
        let registry = try await failing { try options.openRegistry() }
        let importer = ArchiveImport(layout: options.layout, registry: registry, masterKeyFile: options.masterKeyFile(masterKey))
        let feed = ProgressFeed("Importing \(archive.lastPathComponent)")
        var summary = ImportSummary(plan: plan)
        try await failing {
            if let into {
                let (collection, _) = try await ExportManifest.Source.resolve(into, registry: registry)
                try await importer.into(collection, plan, archive: archive, replace: replace) { feed.update($0, $1) }
                summary.collection = collection.name
                summary.projectId = collection.id
            } else {
                let (collection, key) = try await importer.intoNewCollection(plan, archive: archive, name: name, space: space) {
                    feed.update($0, $1)
                }
                summary.collection = collection.name
                summary.projectId = collection.id
                summary.dataKey = key.value
            }
        }
        feed.finish()
        if json { return try printJSON(summary) }
        print(summary.text(instance: plan.manifest?.source.instance, fromDeta: plan.manifest == nil))
    }
}

/// What `hearth import` reports.
struct ImportSummary: Encodable {
    var collection = ""
    var projectId = ""
    /// Only for a new collection: its first data key, shown once.
    var dataKey: String?
    let bases: Int
    let items: Int
    let drives: Int
    let files: Int
    let skipped: [String]

    init(plan: ImportPlan) {
        bases = plan.bases.count
        items = plan.itemCount
        drives = plan.drives.count
        files = plan.fileCount
        skipped = plan.skipped
    }

    func text(instance: ExportManifest.InstanceSource?, fromDeta: Bool) -> String {
        var lines = [
            "Imported \(items) items in \(bases) Bases and \(files) files in \(drives) Drives"
                + (dataKey == nil ? " into '\(collection)'." : " into the new collection '\(collection)'.")
        ]
        if fromDeta { lines.append("  (a Deta Space export: no manifest, so entries were checked for safety but not against hashes)") }
        if let instance {
            lines.append(
                "  The archive is an export of instance '\(instance.slug)' (\(instance.appName) \(instance.version)); "
                    + "its data is now a plain collection. Install the app itself separately.")
        }
        if !skipped.isEmpty { lines.append("  Skipped \(skipped.count) entries that are neither Base nor Drive data.") }
        if let dataKey {
            lines.append("  project id: \(projectId)")
            lines.append("  data key:   \(dataKey)   (shown only now)")
        }
        return lines.joined(separator: "\n")
    }
}
