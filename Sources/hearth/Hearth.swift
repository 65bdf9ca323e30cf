import ArgumentParser

@main
struct Hearth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hearth",
        abstract: "A personal cloud: your own apps, data and files on your own machine.",
        discussion: """
            Start a node with `hearth serve`, then install a Deta Space app with `hearth app \
            install DIR`, or create a collection to get a data key for the Deta-compatible Base \
            and Drive APIs.

            Commands other than `serve` work on the data directory directly (--data or \
            HEARTH_DATA, default ./hearth-data). They are safe to use while a node is running on \
            the same directory: changes such as a revoked key take effect on its next request.
            """,
        subcommands: [
            Serve.self, AppCommand.self, CollectionCommand.self, KeyCommand.self, DriveCommand.self, SpaceCommand.self, OwnerCommand.self,
            SessionCommand.self, ExportCommand.self, ImportCommand.self, NewCommand.self, PushCommand.self, DevCommand.self,
            LoginCommand.self, LogoutCommand.self, ReleaseCommand.self, InstallCommand.self,
        ]
    )
}
