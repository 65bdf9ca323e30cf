import ArgumentParser
import HearthRegistry

struct CollectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collection",
        abstract: "Create and list collections: the Bases and Drives behind one project id.",
        subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a collection and print its project id and first data key (shown only once).")

        @OptionGroup var options: DataOptions
        @Argument(help: "A name for the collection (letters, digits, '-', '_', '.').")
        var name: String
        @Option(help: "The space it belongs to.")
        var space = Registry.defaultSpace
        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            let (collection, key) = try await failing {
                try await options.openRegistry().createCollection(name: name, space: space)
            }
            if json {
                try printJSON(["name": collection.name, "project_id": collection.id, "data_key": key.value])
            } else {
                print(
                    """
                    Created collection '\(collection.name)'.
                      project id: \(collection.id)
                      data key:   \(key.value)

                    Keep the data key secret; it is shown only now. Use it as the X-API-Key header
                    of the Base API, or as DETA_PROJECT_KEY for Deta SDKs.
                    """)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List collections.")

        @OptionGroup var options: DataOptions
        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            let collections = try await failing { try await options.openRegistry().collections() }
            if json { return try printJSON(collections) }
            guard !collections.isEmpty else { return print("No collections yet. Create one with `hearth collection create NAME`.") }
            print(
                Table(
                    ["NAME", "PROJECT ID", "SPACE", "CREATED"],
                    collections.map {
                        [$0.name, $0.id, $0.space, $0.createdAt.formatted(.iso8601)]
                    }))
        }
    }
}
