import ArgumentParser
import Foundation
import HearthCore
import HearthRegistry
import HearthRuntime

struct AppCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app",
        abstract: "Install and run apps: each instance gets its own host, Base and Drive.",
        discussion: """
            An app is a directory with a Spacefile (Deta Space's format). Installing it builds \
            it and gives the new instance its own host, http://<name>.localhost:4200 on a node \
            with default settings. Micros start on the first request and sleep when idle.
            """,
        subcommands: [
            AppInstall.self, AppList.self, AppRemove.self, AppLogs.self, AppRestart.self, AppEnv.self, AppTrigger.self,
            AppUpdate.self, AppRollback.self, AppLimits.self, AppStats.self, AppKeys.self,
        ])
}

struct AppList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List installed instances.")

    @OptionGroup var options: DataOptions
    @Option(help: "Only this space's instances.")
    var space: String?
    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let instances = try await failing { try await options.openRegistry().instances(space: space) }
        let node = NodeControl(layout: options.layout)
        var status: [String: NodeControl.InstanceStatus] = [:]
        for instance in instances { status[instance.id] = try? await node?.status(instance.id) }
        if json {
            return try printJSON(
                instances.map {
                    AppListing(
                        instance: $0, url: url(of: $0, node), running: status[$0.id]?.running ?? [], isolation: status[$0.id]?.isolation)
                })
        }
        guard !instances.isEmpty else { return print("No apps installed yet. Install one with `hearth app install DIR`.") }
        print(
            Table(
                ["NAME", "URL", "SPACE", "ID", "STATE", "RUNNING", "SANDBOX", "INSTALLED FROM"],
                instances.map { instance in
                    let micros = status[instance.id].map { $0.running.isEmpty ? "asleep" : $0.running.joined(separator: ",") } ?? "-"
                    return [
                        instance.appName, url(of: instance, node), instance.space, instance.id, instance.state.rawValue, micros,
                        status[instance.id]?.isolation ?? "-", instance.source,
                    ]
                }))
        if node == nil { print("\nThe node is not running; start it with `hearth serve`.") }
        if status.values.contains(where: { $0.isolation == "unisolated" }) {
            print("\nUnisolated apps can read the node's files and reach each other; the node's log says what the host lacks.")
        }
    }

    private func url(of instance: InstanceInfo, _ node: NodeControl?) -> String {
        NodeControl.instanceURL(slug: instance.slug, node: node?.info)
    }

    struct AppListing: Encodable {
        let instance: InstanceInfo
        let url: String
        let running: [String]
        /// `sandboxed` or `unisolated`; `nil` when no node runs.
        let isolation: String?

        func encode(to encoder: any Encoder) throws {
            try instance.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(url, forKey: .url)
            try container.encode(running, forKey: .running)
            try container.encode(isolation, forKey: .isolation)
        }

        enum Keys: String, CodingKey { case url, running, isolation }
    }
}

/// Finds an instance by id or name for the commands that take one.
func findInstance(_ idOrName: String, _ options: DataOptions) async throws -> (Registry, InstanceInfo) {
    try await failing {
        let registry = try options.openRegistry()
        return (registry, try await registry.instance(idOrName))
    }
}
