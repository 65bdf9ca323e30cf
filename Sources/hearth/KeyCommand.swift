import ArgumentParser
import HearthRegistry

struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Create, list and revoke the data keys of a collection.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a new data key (shown only once).")

        @OptionGroup var options: DataOptions
        @Argument(help: "The collection's name or project id.")
        var collection: String
        @Option(help: "A name for the key, unique among the collection's live keys.")
        var name: String
        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            let (info, key) = try await failing {
                try await options.openRegistry().createKey(collection: collection, name: name)
            }
            if json {
                try printJSON(["id": info.id, "name": info.name, "data_key": key.value])
            } else {
                print("Created key '\(info.name)' (id \(info.id)):\n  \(key.value)\nKeep it secret; it is shown only now.")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List a collection's keys.")

        @OptionGroup var options: DataOptions
        @Argument(help: "The collection's name or project id.")
        var collection: String
        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            let keys = try await failing { try await options.openRegistry().keys(collection: collection) }
            if json { return try printJSON(keys) }
            print(
                Table(
                    ["NAME", "ID", "SECRET", "CREATED", "STATUS"],
                    keys.map {
                        [
                            $0.name, $0.id, "\($0.hint)…", $0.createdAt.formatted(.iso8601),
                            $0.revokedAt.map { "revoked \($0.formatted(.iso8601))" } ?? "live",
                        ]
                    }))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key; it stops working at once.")

        @OptionGroup var options: DataOptions
        @Argument(help: "The collection's name or project id.")
        var collection: String
        @Argument(help: "The key's name or id.")
        var key: String

        func run() async throws {
            try await failing { try await options.openRegistry().revokeKey(collection: collection, key: key) }
            print("Revoked key '\(key)'.")
        }
    }
}
