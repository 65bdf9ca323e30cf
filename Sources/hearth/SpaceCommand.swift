import ArgumentParser
import HearthCore
import HearthRegistry

struct SpaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "space",
        abstract: "Create and list spaces: clouds of their own on one node.",
        discussion: """
            A node hosts one or many spaces. Each has its own owner, apps, keys and sessions; \
            nothing is shared between them. Every node has the space 'default'.
            """,
        subcommands: [Create.self, List.self, Identity.self, Export.self, Import.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a space, and its owner when --owner is given.")

        @OptionGroup var options: DataOptions
        @Argument(help: "The space's name: letters, digits, '-', '_' or '.'.")
        var name: String
        @Option(help: "The user name of its owner (set later with `hearth owner create --space` when omitted).")
        var owner: String?
        @OptionGroup var input: PassphraseInput

        func run() async throws {
            let credentials = try owner.map { (username: $0, passphrase: try input.read()) }
            let space = try await failing { try await options.openRegistry().createSpace(name, owner: credentials) }
            print("Created space '\(space.id)'" + (owner.map { ", owned by '\($0)'" } ?? "") + ".")
            print("Install apps into it with `hearth app install DIR --space \(space.id)`.")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the node's spaces.")

        @OptionGroup var options: DataOptions
        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            let registry = try await failing { try options.openRegistry() }
            let (spaces, owners, instances) = try await failing {
                (try await registry.spaces(), try await registry.owners(), try await registry.instances())
            }
            if json { return try printJSON(spaces) }
            print(
                Table(
                    ["SPACE", "OWNER", "APPS", "CREATED"],
                    spaces.map { space in
                        [
                            space.id, owners.first { $0.space == space.id }?.username ?? "-",
                            "\(instances.filter { $0.space == space.id }.count)", space.createdAt.formatted(.iso8601),
                        ]
                    }))
        }
    }

    struct Identity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the space's signing identity: the Ed25519 key its releases are signed with.",
            discussion: "The key is made on first use; its private half stays in <data>/spaces/<space>/secrets/identity.key.")

        @OptionGroup var options: DataOptions
        @Argument(help: "The space.")
        var space = Registry.defaultSpace
        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            let registry = try await failing { try options.openRegistry() }
            let identity = try await failing {
                try await registry.requireSpace(space)
                return try SpaceIdentity.loadOrCreate(space: space, in: options.layout)
            }
            let publicKey = identity.publicKey.rawRepresentation.base64EncodedString()
            if json { return try printJSON(["space": space, "public_key": publicKey, "fingerprint": identity.fingerprint]) }
            print("space:        \(space)\npublic key:   \(publicKey)\nfingerprint:  \(identity.fingerprint)")
        }
    }
}
