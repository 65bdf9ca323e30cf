import Foundation

/// `hearth-export.json`, the last entry of an export archive: where the data came from, and
/// the size and SHA-256 of every other entry, so an import can prove it got exactly this.
public struct ExportManifest: Codable, Sendable, Equatable {
    /// The manifest's own path in the archive.
    public static let path = "hearth-export.json"
    public static let formatName = "hearth-export"
    /// The newest format version this build writes and reads.
    public static let currentVersion = 1

    public var format = ExportManifest.formatName
    public var version = ExportManifest.currentVersion
    public var source: Source
    /// ISO 8601, UTC.
    public var createdAt: String
    /// Every entry but the manifest, in archive order.
    public var entries: [Entry]
    public var bases: [BaseSummary]
    public var drives: [DriveSummary]

    /// What was exported: a collection, or an instance's collection.
    public struct Source: Codable, Sendable, Equatable {
        /// `collection` or `instance`.
        public var kind: String
        public var collection: String
        public var projectId: String
        public var space: String
        public var instance: InstanceSource?

        public init(kind: String, collection: String, projectId: String, space: String, instance: InstanceSource? = nil) {
            (self.kind, self.collection, self.projectId, self.space, self.instance) = (kind, collection, projectId, space, instance)
        }
    }

    public struct InstanceSource: Codable, Sendable, Equatable {
        public var id: String
        public var appName: String
        public var version: String
        public var slug: String

        public init(id: String, appName: String, version: String, slug: String) {
            (self.id, self.appName, self.version, self.slug) = (id, appName, version, slug)
        }
    }

    public struct Entry: Codable, Sendable, Equatable {
        public var path: String
        public var size: Int64
        public var sha256: String
    }

    /// A Base: its entry, how many items it holds and the canonical hash of those items
    /// (`BaseFile.canonicalHash`).
    public struct BaseSummary: Codable, Sendable, Equatable {
        public var name: String
        public var path: String
        public var items: Int
        public var sha256: String
    }

    public struct DriveSummary: Codable, Sendable, Equatable {
        public var name: String
        public var files: [FileSummary]
    }

    public struct FileSummary: Codable, Sendable, Equatable {
        public var name: String
        public var path: String
        public var size: Int64
        public var sha256: String
        public var contentType: String
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
