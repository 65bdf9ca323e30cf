import Foundation

/// What a running node tells local tools about itself, in `<data>/run/node.json` (0600):
/// where it listens and the token of its control API. Removed when the node stops.
public struct NodeRunInfo: Codable, Sendable, Equatable {
    /// The node's loopback URL, e.g. `http://127.0.0.1:4200` (`https://` when it serves TLS).
    public var url: String
    /// The port instance hosts answer on.
    public var port: Int
    public var domain: String
    public var token: String
    public var pid: Int32
    /// When the node serves TLS, the certificate (PEM) its loopback address is certified by:
    /// what local tools trust when they connect.
    public var trustAnchor: String?

    public init(url: String, port: Int, domain: String, token: String, pid: Int32, trustAnchor: String? = nil) {
        self.url = url
        self.port = port
        self.domain = domain
        self.token = token
        self.pid = pid
        self.trustAnchor = trustAnchor
    }

    /// `https` when the node serves TLS, else `http`.
    public var scheme: String { url.hasPrefix("https://") ? "https" : "http" }

    public static func file(in layout: DataLayout) -> URL { layout.root.appendingPathComponent("run/node.json") }

    /// Writes the file readable by its owner only.
    public func write(in layout: DataLayout) throws {
        let file = Self.file(in: layout)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let data = try JSONEncoder().encode(self)
        FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600])
        try data.write(to: file)
    }

    /// The running node's file, if there is one and its process is alive.
    public static func read(in layout: DataLayout) -> NodeRunInfo? {
        guard let data = try? Data(contentsOf: file(in: layout)), let info = try? JSONDecoder().decode(Self.self, from: data),
            kill(info.pid, 0) == 0
        else { return nil }
        return info
    }

    public static func remove(in layout: DataLayout) {
        try? FileManager.default.removeItem(at: file(in: layout))
    }
}
