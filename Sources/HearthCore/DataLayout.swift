import Foundation

/// Where a node keeps its files under its data directory (see docs/storage-format.md).
public struct DataLayout: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// The node registry: spaces, collections, keys.
    public var registry: URL { root.appendingPathComponent("node.sqlite") }

    /// The directory of a headless collection, relative to the root (as the registry records it).
    public static func collectionPath(space: String, projectID: String) -> String {
        "spaces/\(space)/collections/\(projectID)"
    }

    /// Resolves a path recorded in the registry.
    public func resolve(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// The default home of the node master key, apart from the collections it protects.
    public var defaultMasterKey: URL { root.appendingPathComponent("secrets/master.key") }

    /// The node's TLS files: its local authority, its certificate, the bundle micros trust.
    public var tls: URL { root.appendingPathComponent("tls") }

    /// The Drive blobs inside a collection directory.
    public static func driveDirectory(in collectionDirectory: URL) -> URL {
        collectionDirectory.appendingPathComponent("drive")
    }

    /// The collection database (Bases and Drive metadata) inside a collection directory.
    public static func collectionDatabase(in collectionDirectory: URL) -> URL {
        collectionDirectory.appendingPathComponent("data.sqlite")
    }
}
