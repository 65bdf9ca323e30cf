import ArgumentParser
import Foundation
import HearthExport
import HearthRegistry
import Synchronization

extension SpaceCommand {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a whole space to one zip: every instance with its app, version, configuration and data.",
            discussion: """
                Per instance the archive holds its app copy as a signed release and its data as an \
                instance export (as `hearth export` writes it, each read from one consistent \
                snapshot); headless collections' data too; and hearth-space.json with each \
                instance's configuration, limits and app key names, and every entry's SHA-256. \
                No secret goes in: keys are issued anew by `hearth space import`.
                """)

        @OptionGroup var options: DataOptions
        @Option(
            help: ArgumentHelp("The node master key file (default: $HEARTH_MASTER_KEY or <data>/secrets/master.key).", valueName: "file"))
        var masterKey: String?
        @Argument(help: "The space to export.")
        var space = Registry.defaultSpace
        @Option(name: .shortAndLong, help: ArgumentHelp("The archive to write (default: space-<space>-<time>.zip).", valueName: "file"))
        var output: String?
        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            let registry = try await failing { try options.openRegistry() }
            let file = URL(fileURLWithPath: output ?? "space-\(space)-\(ExportCommand.stamp()).zip")
            let printer = StepPrinter()
            let exporter = SpaceExporter(registry: registry, layout: options.layout, masterKeyFile: options.masterKeyFile(masterKey))
            let manifest = try await failing { try await exporter.write(space: space, to: file, progress: printer.progress) }
            printer.finish()
            let size = manifest.entries.reduce(Int64(0)) { $0 + $1.size }
            if json {
                return try printJSON(
                    SpaceExportSummary(
                        file: file.path, space: manifest.space.id, instances: manifest.instances.map(\.slug),
                        collections: manifest.collections.map(\.name), bytes: size))
            }
            print(
                "Exported space '\(manifest.space.id)' to \(file.path): \(manifest.instances.count) instances, "
                    + "\(manifest.collections.count) collections (\(Progress.size(size))).")
            for record in manifest.instances where !record.appKeys.isEmpty {
                print("  '\(record.slug)' has app keys (\(record.appKeys.joined(separator: ", "))): their secrets are not exported.")
            }
        }
    }
}

/// What `hearth space export --json` prints.
struct SpaceExportSummary: Encodable {
    let file: String
    let space: String
    let instances: [String]
    let collections: [String]
    let bytes: Int64
}

/// Steps of a long space export or import on stderr, each with its own progress bar.
final class StepPrinter: Sendable {
    private let feed = Mutex<ProgressFeed?>(nil)

    var progress: SpaceProgress {
        SpaceProgress(step: { self.step($0) }, bytes: { self.bytes($0, $1) })
    }

    func step(_ text: String) {
        feed.withLock { feed in
            feed?.finish()
            feed = ProgressFeed("  ")
        }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    func bytes(_ done: Int64, _ total: Int64) {
        feed.withLock { $0?.update(done, total) }
    }

    func finish() {
        feed.withLock { feed in
            feed?.finish()
            feed = nil
        }
    }
}
