import ArgumentParser
import Foundation
import HearthRegistry

struct SessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "List and end the browsers signed in to a space.",
        discussion: """
            Signing in on the dashboard starts a session; each app opened from it gets a \
            session of its own for its host. Ending a dashboard session ends its app sessions.
            """,
        subcommands: [List.self, Revoke.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List live sessions, newest first.")

        @OptionGroup var options: DataOptions
        @Option(help: "Only this space's sessions.")
        var space: String?
        @Flag(help: "Include ended (expired or revoked) sessions.")
        var all = false
        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            let registry = try await failing { try options.openRegistry() }
            let (sessions, instances) = try await failing {
                (try await registry.sessions(space: space, ended: all), try await registry.instances())
            }
            if json { return try printJSON(sessions) }
            let now = Date()
            print(
                Table(
                    ["ID", "SPACE", "FOR", "ADDRESS", "SIGNED IN", "LAST SEEN", "STATUS", "AGENT"],
                    sessions.map { session in
                        let target = session.instance.map { id in instances.first { $0.id == id }?.slug ?? id } ?? "dashboard"
                        let status =
                            session.revokedAt != nil ? "revoked" : session.expiresAt < now ? "expired" : "live"
                        return [
                            session.id, session.space, target, session.address, session.createdAt.formatted(.iso8601),
                            session.lastSeenAt.formatted(.iso8601), status, String(session.agent.prefix(40)),
                        ]
                    }))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End a session (and the app sessions opened from it), or all sessions with --all.")

        @OptionGroup var options: DataOptions
        @Argument(help: "The session's id, or its first 4 or more characters.")
        var id: String?
        @Flag(help: "End every live session (of --space, else of the node).")
        var all = false
        @Option(help: "Only sessions of this space.")
        var space: String?

        func validate() throws {
            guard (id == nil) == all else { throw ValidationError("Give a session id or --all, not both.") }
        }

        func run() async throws {
            let registry = try await failing { try options.openRegistry() }
            let ended =
                try await failing {
                    if let id {
                        try await registry.revokeSession(id, space: space)
                    } else {
                        try await registry.revokeSessions(space: space)
                    }
                }
            print("Ended \(ended) session\(ended == 1 ? "" : "s"). Their browsers must sign in again.")
        }
    }
}
