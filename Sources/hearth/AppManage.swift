import ArgumentParser
import Foundation
import HearthCore
import HearthRegistry
import HearthRuntime

struct AppRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Remove an instance with all its data (Base, Drive, logs). This cannot be undone.")

    @OptionGroup var options: DataOptions
    @Argument(help: "The instance's name or id.")
    var instance: String
    @Flag(name: .shortAndLong, help: "Don't ask for confirmation.")
    var yes = false

    func run() async throws {
        let (registry, info) = try await findInstance(instance, options)
        if !yes {
            guard isatty(STDIN_FILENO) == 1 else {
                throw ValidationError("Removing '\(info.slug)' deletes all its data; pass --yes to confirm.")
            }
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
            try? await NodeControl(layout: options.layout)?.restart(info.id)
            print(set ? "Set \(name) for '\(info.slug)'." : "\(name) of '\(info.slug)' is back to its default.")
        default:
            throw ValidationError("Unknown change '\(change[0])'; use `set VAR=VALUE` or `unset VAR`.")
        }
    }
}
