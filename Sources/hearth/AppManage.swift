import ArgumentParser
import Foundation
import HearthCore
import HearthRegistry
import HearthRuntime

struct AppRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Remove an instance with all its data (Base, Drive, logs). This cannot be undone.",
        discussion: """
            On a terminal it first offers to export the instance's data (to <name>-<time>.zip here), \
            then asks you to type its name. --export FILE exports first without asking; if the \
            export fails, nothing is removed. Without a terminal, --yes is required.
            """)

    @OptionGroup var options: DataOptions
    @Argument(help: "The instance's name or id.")
    var instance: String
    @Flag(name: .shortAndLong, help: "Don't ask for confirmation.")
    var yes = false
    @Option(help: ArgumentHelp("Export the instance's data to this archive first; nothing is removed if that fails.", valueName: "file"))
    var export: String?

    func run() async throws {
        let (registry, info) = try await findInstance(instance, options)
        let interactive = isatty(STDIN_FILENO) == 1
        guard yes || interactive else {
            throw ValidationError("Removing '\(info.slug)' deletes all its data; pass --yes to confirm (and --export FILE to keep a copy).")
        }
        if let export {
            try await exportFirst(info, to: URL(fileURLWithPath: export), registry: registry)
        } else if !yes {
            print("Export its data before removing? [Y/n] ", terminator: "")
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? "n"
            if ["", "y", "yes"].contains(answer) {
                try await exportFirst(info, to: URL(fileURLWithPath: "\(info.slug)-\(ExportCommand.stamp()).zip"), registry: registry)
            }
        }
        if !yes {
            print("Remove '\(info.slug)' (\(info.appName)) and all its data? Type its name to confirm: ", terminator: "")
            guard readLine()?.trimmingCharacters(in: .whitespaces) == info.slug else {
                print("Nothing removed.")
                throw ExitCode(1)
            }
        }
        try? await NodeControl(layout: options.layout)?.stop(info.id)
        let layout = options.layout
        try await failing {
            try await Installer(registry: registry, layout: layout, builder: Builder(tools: .standard(for: layout))).remove(info)
        }
        print("Removed '\(info.slug)'.")
    }

    /// Writes the instance's export; a failure ends the command before anything is removed.
    private func exportFirst(_ info: InstanceInfo, to file: URL, registry: Registry) async throws {
        do {
            let summary = try await ExportCommand.export(info.id, to: file, registry: registry, options: options, masterKey: nil)
            print("Exported '\(info.slug)' to \(summary.file) (\(summary.items) items, \(summary.files) files).")
        } catch {
            FileHandle.standardError.write(Data("error: the export failed, so '\(info.slug)' was not removed\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct AppRestart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart", abstract: "Stop an instance's running micros; they start again on the next request.")

    @OptionGroup var options: DataOptions
    @Argument(help: "The instance's name or id.")
    var instance: String

    func run() async throws {
        let (_, info) = try await findInstance(instance, options)
        guard let node = NodeControl(layout: options.layout) else {
            return print("The node is not running; '\(info.slug)' starts fresh on its first request after `hearth serve`.")
        }
        try await failing { try await node.restart(info.id) }
        print("Restarted '\(info.slug)': its micros start on the next request.")
    }
}

struct AppEnv: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Show or set an instance's configuration (the Spacefile's presets.env variables).",
        discussion: """
            hearth app env NAME                 lists the variables, their values and defaults
            hearth app env NAME set VAR=VALUE   sets one (running micros restart to see it)
            hearth app env NAME unset VAR       goes back to the Spacefile's default
            """)

    @OptionGroup var options: DataOptions
    @Argument(help: "The instance's name or id.")
    var instance: String
    @Argument(help: "`set VAR=VALUE` or `unset VAR`; nothing to list.")
    var change: [String] = []

    func run() async throws {
        let (registry, info) = try await findInstance(instance, options)
        let spacefile = try await failing {
            try Spacefile.load(directory: options.layout.instance(info).app)
        }
        let presets = spacefile.micros.flatMap(\.presets.env)
        switch change.first {
        case nil:
            let values = try await failing { try await registry.environment(instance: info.id) }
            guard !presets.isEmpty else { return print("\(info.appName) has no configuration variables.") }
            print(
                Table(
                    ["VARIABLE", "VALUE", "DEFAULT", "DESCRIPTION"],
                    presets.map { [$0.name, values[$0.name] ?? "(default)", $0.defaultValue ?? "", $0.description ?? ""] }))
        case "set", "unset":
            let set = change[0] == "set"
            guard change.count == 2 else { throw ValidationError(set ? "Use: set VAR=VALUE" : "Use: unset VAR") }
            let name = set ? String(change[1].prefix { $0 != "=" }) : change[1]
            guard presets.contains(where: { $0.name == name }) else {
                let known = presets.map(\.name).joined(separator: ", ")
                throw ValidationError("'\(name)' is not a variable of \(info.appName)\(known.isEmpty ? "" : " (it has: \(known))").")
            }
            guard !set || change[1].contains("=") else { throw ValidationError("Use: set VAR=VALUE") }
            let value = set ? String(change[1].drop { $0 != "=" }.dropFirst()) : nil
            try await failing { try await registry.setEnvironment(instance: info.id, name: name, value: value) }
            _ = await NodeControl.restartAfterChange(info.id, layout: options.layout)
            print(set ? "Set \(name) for '\(info.slug)'." : "\(name) of '\(info.slug)' is back to its default.")
        default:
            throw ValidationError("Unknown change '\(change[0])'; use `set VAR=VALUE` or `unset VAR`.")
        }
    }
}
