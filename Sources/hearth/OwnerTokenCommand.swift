import ArgumentParser
import Foundation
import HearthRegistry

struct OwnerTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Tokens that let a program act as a space's owner through the node's API.",
        discussion: """
            `hearth login URL` on another machine takes one, so that `hearth push` and \
            `hearth release` work against this node. A token is shown once; only its hash is \
            kept. Removing it stops it at once.
            """,
        subcommands: [Create.self, List.self, Remove.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token and print it (the only time it is shown).")

        @OptionGroup var options: DataOptions
        @Argument(help: "A name to tell it apart, e.g. the machine it is for.")
        var name: String
        @Option(help: "The space it acts for.")
        var space = Registry.defaultSpace
        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            let (info, token) = try await failing { try await options.openRegistry().createOwnerToken(space: space, name: name) }
            if json { return try printJSON(["id": info.id, "name": info.name, "space": info.space, "token": token]) }
            print(
                """
                \(token)
                Owner token '\(info.name)' for space '\(info.space)'. It is shown only now; keep it secret.
                Use it with `hearth login <this node's URL>`; remove it with `hearth owner token rm \(info.name)`.
                """)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List owner tokens (never their secrets).")

        @OptionGroup var options: DataOptions
        @Option(help: "Only this space's tokens.")
        var space: String?
        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            let tokens = try await failing { try await options.openRegistry().ownerTokens(space: space) }
            if json { return try printJSON(tokens) }
            guard !tokens.isEmpty else { return print("No owner tokens. Create one with `hearth owner token create NAME`.") }
            print(
                Table(
                    ["ID", "NAME", "SPACE", "CREATED", "LAST USED"],
                    tokens.map {
                        [$0.id, $0.name, $0.space, $0.createdAt.formatted(.iso8601), $0.lastUsedAt?.formatted(.iso8601) ?? "never"]
                    }))
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a token; it stops working at once.")

        @OptionGroup var options: DataOptions
        @Argument(help: "The token's name or id.")
        var token: String
        @Option(help: "Its space.")
        var space = Registry.defaultSpace

        func run() async throws {
            try await failing { try await options.openRegistry().removeOwnerToken(space: space, token: token) }
            print("Removed owner token '\(token)'.")
        }
    }
}
