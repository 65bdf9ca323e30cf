import Foundation
import HearthCore

/// `hearth-space.json`, the last entry of a space archive: the space, each instance (its app,
/// version, origin, configuration, limits and the names of its app keys) and each headless
/// collection, with the size and SHA-256 of every other entry. It never holds a secret.
public struct SpaceManifest: Codable, Sendable, Equatable {
    /// The manifest's path in the archive.
    public static let path = "hearth-space.json"
    public static let formatName = "hearth-space"
    /// The newest format version this build writes and reads.
    public static let currentVersion = 1

    public var format = SpaceManifest.formatName
    public var version = SpaceManifest.currentVersion
    public var space: SpaceRecord
    /// ISO 8601, UTC.
    public var createdAt: String
    public var instances: [InstanceRecord]
    public var collections: [CollectionRecord]
    /// Every entry but the manifest, in archive order.
    public var entries: [ExportManifest.Entry]

    public struct SpaceRecord: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
    }

    /// An instance: how to install it again, and where its app and data are in the archive.
    public struct InstanceRecord: Codable, Sendable, Equatable {
        public var slug: String
        public var appName: String
        public var version: String
        /// Where it was installed from (a directory, or `release:<id or URL>`).
        public var source: String
        /// The values set for its `presets.env` variables.
        public var env: [Variable]
        /// Its limit overrides, when the owner set any.
        public var limits: InstanceLimitOverrides?
        /// Names of its app keys; their secrets stay behind and must be made again.
        public var appKeys: [String]
        /// The entry holding its app: a release archive (`ReleaseWriter`).
        public var release: String
        /// The entry holding its data: an instance export (`CollectionExporter`).
        public var data: String
    }

    /// A configuration value (a list, not a dictionary, so names keep their exact case).
    public struct Variable: Codable, Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            (self.name, self.value) = (name, value)
        }
    }

    /// A collection that belongs to no instance.
    public struct CollectionRecord: Codable, Sendable, Equatable {
        public var name: String
        public var projectId: String
        /// The entry holding its data: a collection export.
        public var data: String
    }

    /// Where an instance's app and data go in the archive.
    static func instancePaths(slug: String) -> (release: String, data: String) {
        ("instances/\(slug)/release.zip", "instances/\(slug)/data.zip")
    }

    /// Where a headless collection's data goes (by project id: names may be `..`).
    static func collectionPath(projectId: String) -> String { "collections/\(projectId)/data.zip" }

    static var encoder: JSONEncoder { ExportManifest.encoder }
    static var decoder: JSONDecoder { ExportManifest.decoder }
}
