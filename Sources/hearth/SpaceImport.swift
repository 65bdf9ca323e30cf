import ArgumentParser
import Foundation
import HearthCore
import HearthExport
import HearthHTTP
import HearthRegistry
import HearthRuntime

extension SpaceCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recreate a space from a `hearth space export` archive: every instance, its configuration and data.",
            discussion: """
                The whole archive is checked first (safe entries, sizes, compression ratios, CRCs, \
                every part against hearth-space.json, each app's signature and hashes, each data \
                export against its manifest, free disk space). The target space must not exist \
                (it is created, with --owner when given), or exist without instances and \
                collections (a new node's 'default'). Each instance is installed from its app \
                with the same name when free, new keys, its configuration and limits, and its \
                data hash-identical. App keys are not exported: the command lists those to \
                create again. All or nothing: on any failure everything made is removed.
                """)

        @OptionGroup var options: DataOptions
        @Option(
            help: ArgumentHelp("The node master key file (default: $HEARTH_MASTER_KEY or <data>/secrets/master.key).", valueName: "file"))
        var masterKey: String?
        @Argument(help: "The space archive.", completion: .file())
        var file: String
        @Option(help: ArgumentHelp("The space to create (default: the exported space's name).", valueName: "space"))
        var name: String?
        @Option(help: "The user name of the new space's owner.")
        var owner: String?
        @OptionGroup var input: PassphraseInput
        @OptionGroup var output: InstallOutput

        func run() async throws {
            let layout = options.layout
            let registry = try await failing { try options.openRegistry() }
            let work = layout.root.appendingPathComponent("tmp/space-import-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            defer { try? FileManager.default.removeItem(at: work) }
            let archive = URL(fileURLWithPath: file)
            let plan = try await failing { try SpaceArchiveReader().read(archive, work: work) }
            let space = name ?? plan.manifest.space.id
            let credentials = try owner.map { (username: $0, passphrase: try input.read()) }
            let installer = ImportInstaller(
                installer: Installer(registry: registry, layout: layout, builder: Builder(tools: .standard(for: layout))),
                progress: output.progress
            ) { try? await NodeControl(layout: layout)?.stop($0) }
            let importer = SpaceImporter(
                layout: layout, registry: registry, masterKeyFile: options.masterKeyFile(masterKey), installer: installer)
            let printer = StepPrinter()
            let result = try await failing {
                defer { printer.finish() }
                return try await importer.run(plan, work: work, space: space, owner: credentials, progress: printer.progress)
            }
            let node = NodeRunInfo.read(in: layout)
            let ownerName = await registry.ownerName(of: result.space)
            let summary = SpaceImportSummary(plan: plan, result: result, owner: ownerName) {
                NodeControl.instanceURL(slug: $0, node: node)
            }
            if output.json { return try printJSON(summary) }
            print(summary.text)
        }
    }
}
