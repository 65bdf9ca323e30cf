import ArgumentParser
import HearthRegistry

struct OwnerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "owner",
        abstract: "Set up who signs in to a space, and change their passphrase.",
        discussion: """
            Each space has one owner, who signs in on the dashboard with a user name and a \
            passphrase. The passphrase is stored only as a scrypt hash.
            """,
        subcommands: [Create.self, Passphrase.self, List.self, OwnerTokenCommand.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a space its owner (the default space unless --space).")

        @OptionGroup var options: DataOptions
        @Option(help: "The space.")
        var space = Registry.defaultSpace
        @Option(help: "The user name to sign in with (asked for when omitted).")
        var username: String?
        @OptionGroup var input: PassphraseInput

        func run() async throws {
            let username = try prompted(username, "User name")
            let passphrase = try input.read()
            let owner = try await failing {
                try await options.openRegistry().createOwner(space: space, username: username, passphrase: passphrase)
            }
            print("'\(owner.username)' now owns space '\(owner.space)'. Sign in on the dashboard.")
        }
    }

    struct Passphrase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a new passphrase for a space's owner; every session of the space ends.")

        @OptionGroup var options: DataOptions
        @Option(help: "The space.")
        var space = Registry.defaultSpace
        @OptionGroup var input: PassphraseInput

        func run() async throws {
            let passphrase = try input.read()
            try await failing { try await options.openRegistry().changePassphrase(space: space, passphrase: passphrase) }
            print("Passphrase changed; every session of space '\(space)' has ended.")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the spaces' owners.")

        @OptionGroup var options: DataOptions
        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            let owners = try await failing { try await options.openRegistry().owners() }
            if json { return try printJSON(owners) }
            print(Table(["SPACE", "USER", "SINCE"], owners.map { [$0.space, $0.username, $0.createdAt.formatted(.iso8601)] }))
        }
    }
}
