import Foundation
import HearthCore

/// The nodes `hearth login` signed in to, in `login.json` (0600) under `$HEARTH_CONFIG_DIR`,
/// else `$XDG_CONFIG_HOME/hearth`, else `~/.config/hearth`. `$HEARTH_TOKEN` overrides the
/// stored token of the node in use.
struct Credentials: Codable {
    struct Login: Codable {
        var token: String
        /// A CA certificate (PEM) to trust for this node, when it uses a local authority.
        var trustAnchor: String?
    }

    /// The node `hearth push` and `hearth release` use when no `--node` is given.
    var current: String?
    var nodes: [String: Login] = [:]

    static var file: URL {
        let environment = ProcessInfo.processInfo.environment
        if let directory = environment["HEARTH_CONFIG_DIR"] { return URL(fileURLWithPath: directory).appendingPathComponent("login.json") }
        let config =
            environment["XDG_CONFIG_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config")
        return config.appendingPathComponent("hearth/login.json")
    }

    static func read() throws -> Credentials {
        guard FileManager.default.fileExists(atPath: file.path) else { return Credentials() }
        do {
            return try JSONDecoder().decode(Credentials.self, from: Data(contentsOf: file))
        } catch {
            throw ProjectError("cli.credentials", "\(file.path) cannot be read; log in again after removing it", cause: error)
        }
    }

    func write() throws {
        let directory = Self.file.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(self)
        let partial = Self.file.appendingPathExtension("partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw ProjectError("cli.credentials", "Cannot write \(partial.path)")
        }
        guard rename(partial.path, Self.file.path) == 0 else { throw ProjectError("cli.credentials", "Cannot write \(Self.file.path)") }
    }

    /// `https://host[:port]` without a trailing slash or path, the key a node is stored under.
    static func origin(of url: String) throws -> String {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = parsed.host, !host.isEmpty
        else { throw ProjectError("cli.bad_url", "'\(url)' is not a node URL such as https://cloud.example.com") }
        return "\(scheme)://\(host.lowercased())" + (parsed.port.map { ":\($0)" } ?? "")
    }
}
