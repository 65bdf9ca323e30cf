import ArgumentParser
import Foundation
import HearthExport
import HearthRegistry

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write an instance's or a collection's Bases and Drives to one zip archive.",
        discussion: """
            The archive has Deta's export layout (bases/<base>.json, drives/<drive>/<file>) and a \
            manifest, hearth-export.json, with the size and SHA-256 of every entry. It is read \
            from one consistent snapshot, also while a node runs. `hearth import` reads it back.
            """)

    @OptionGroup var options: DataOptions
    @Option(help: ArgumentHelp("The node master key file (default: $HEARTH_MASTER_KEY or <data>/secrets/master.key).", valueName: "file"))
    var masterKey: String?
    @Argument(help: "The instance (id or name) or collection (project id or name) to export.")
    var target: String
    @Option(name: .shortAndLong, help: ArgumentHelp("The archive to write (default: <name>-<time>.zip).", valueName: "file"))
    var output: String?
    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let registry = try await failing { try options.openRegistry() }
        let (collection, source) = try await failing { try await ExportManifest.Source.resolve(target, registry: registry) }
        let file = URL(fileURLWithPath: output ?? "\(collection.name)-\(Self.stamp()).zip")
        let summary = try await Self.export(target, to: file, registry: registry, options: options, masterKey: masterKey)
        if json { return try printJSON(summary) }
        print(
            "Exported \(source.kind) '\(collection.name)' to \(file.path): \(summary.items) items in \(summary.bases) Bases, "
                + "\(summary.files) files in \(summary.drives) Drives (\(Progress.size(summary.driveBytes))).")
    }

    /// Exports an instance or collection to `file`, with a progress bar on a terminal.
    static func export(
        _ target: String, to file: URL, registry: Registry, options: DataOptions, masterKey: String?
    ) async throws -> ExportSummary {
        let (collection, source) = try await failing { try await ExportManifest.Source.resolve(target, registry: registry) }
        let collections = OpenCollections(layout: options.layout, masterKeyFile: options.masterKeyFile(masterKey), registry: registry)
        let feed = ProgressFeed("Exporting \(collection.name)")
        let manifest = try await failing {
            let exporter = CollectionExporter(
                base: try collections.base(collection), drive: try collections.drive(collection), source: source)
            return try await exporter.write(to: file) { feed.update($0, $1) }
        }
        feed.finish()
        return ExportSummary(file: file.path, manifest: manifest)
    }

    static func stamp() -> String {
        let format = DateFormatter()
        format.dateFormat = "yyyyMMdd-HHmmss"
        format.timeZone = TimeZone(identifier: "UTC")
        return format.string(from: Date())
    }
}

/// What `hearth export --json` prints.
struct ExportSummary: Encodable {
    let file: String
    let source: ExportManifest.Source
    let bases: Int
    let items: Int
    let drives: Int
    let files: Int
    let driveBytes: Int64

    init(file: String, manifest: ExportManifest) {
        self.file = file
        source = manifest.source
        bases = manifest.bases.count
        items = manifest.bases.reduce(0) { $0 + $1.items }
        drives = manifest.drives.count
        files = manifest.drives.reduce(0) { $0 + $1.files.count }
        driveBytes = manifest.drives.reduce(0) { sum, drive in drive.files.reduce(sum) { $0 + $1.size } }
    }
}
