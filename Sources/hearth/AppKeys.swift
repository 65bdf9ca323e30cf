import ArgumentParser
import HearthRegistry

struct AppKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Create, list and remove an instance's app keys (header X-Space-App-Key).",
        discussion: """
            An app key lets a script reach an instance's private routes without signing in, \
            for micros whose Spacefile sets `presets: api_keys: true`. A key works for that one \
            instance only.
            """,
        subcommands: [Create.self, List.self, Remove.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an app key (shown only once).")

        @OptionGroup var options: DataOptions
        @Argument(help: "The instance (its name or id).")
        var instance: String
        @Argument(help: "A name for the key, unique within the instance.")
        var name: String
        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            let registry = try await failing { try options.openRegistry() }
            let (info, secret) = try await failing { try await registry.createAppKey(instance: instance, name: name) }
            if json { return try printJSON(["id": info.id, "name": info.name, "key": secret]) }
            let keyed = try await failing { try await registry.instance(instance) }
            print("Created app key '\(info.name)' for \(keyed.slug):\n  \(secret)\nSend it as X-Space-App-Key; it is shown only now.")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List an instance's app keys.")

        @OptionGroup var options: DataOptions
        @Argument(help: "The instance (its name or id).")
        var instance: String
        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            let keys = try await failing { try await options.openRegistry().appKeys(instance: instance) }
            if json { return try printJSON(keys) }
            print(Table(["NAME", "ID", "KEY", "CREATED"], keys.map { [$0.name, $0.id, "\($0.hint)…", $0.createdAt.formatted(.iso8601)] }))
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove an app key; it stops working at once.")

        @OptionGroup var options: DataOptions
        @Argument(help: "The instance (its name or id).")
        var instance: String
        @Argument(help: "The key's name or id.")
        var key: String

        func run() async throws {
            try await failing { try await options.openRegistry().removeAppKey(instance: instance, key: key) }
            print("Removed app key '\(key)'.")
        }
    }
}
