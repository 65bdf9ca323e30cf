import ArgumentParser
import Foundation

struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in to another node with an owner token, for `hearth push` and `hearth release`.",
        discussion: """
            Create the token on that node with `hearth owner token create NAME` (or in its \
            dashboard). The token is checked against the node, then stored in \
            ~/.config/hearth/login.json (0600; $HEARTH_CONFIG_DIR moves it), and the node becomes \
            the one `push` and `release` use. `hearth logout` forgets it.
            """)

    @Argument(help: "The node's URL, e.g. https://cloud.example.com.")
    var url: String
    @Flag(help: "Read the token from the first line of stdin instead of asking for it.")
    var tokenStdin = false
    @Option(help: ArgumentHelp("A CA certificate (PEM) to trust for the node (one with a local authority).", valueName: "file"))
    var trustAnchor: String?

    func run() async throws {
        let origin = try await failing { try Credentials.origin(of: url) }
        let token = try readToken()
        let anchor = trustAnchor.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let node = RemoteNode(origin: origin, login: .init(token: token, trustAnchor: anchor))
        let space = try await failing { try await node.call(SpaceAnswer.self, .GET, "space") }
        var credentials = try await failing { try Credentials.read() }
        credentials.nodes[origin] = node.login
        credentials.current = origin
        try await failing { try credentials.write() }
        print("Logged in to \(origin) as the owner of space '\(space.space)' (token '\(space.token)'). `hearth push` now builds there.")
    }

    private func readToken() throws -> String {
        let line: String
        if tokenStdin {
            line = Swift.readLine(strippingNewline: true) ?? ""
        } else {
            guard isatty(STDIN_FILENO) == 1 else {
                throw ValidationError("No terminal to ask for the token on; pass it on stdin with --token-stdin.")
            }
            line = PassphraseInput.ask("Owner token: ")
        }
        let token = line.trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty else { throw ValidationError("No token given.") }
        return token
    }

    struct SpaceAnswer: Decodable {
        let space: String
        let token: String
    }
}

struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout", abstract: "Forget the token of a node (the current one unless a URL is given).")

    @Argument(help: "The node's URL.")
    var url: String?

    func run() async throws {
        var credentials = try await failing { try Credentials.read() }
        guard let origin = try await failing({ try url.map(Credentials.origin) }) ?? credentials.current,
            credentials.nodes.removeValue(forKey: origin) != nil
        else { return print("Not logged in\(url.map { " to \($0)" } ?? "").") }
        if credentials.current == origin { credentials.current = nil }
        try await failing { try credentials.write() }
        print("Logged out of \(origin); `hearth push` builds on the local node again. The token still works until removed there.")
    }
}
