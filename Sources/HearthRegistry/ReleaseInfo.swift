import Foundation
import HearthCore

/// A release recorded on this node: an immutable, signed archive of an instance's app at
/// `<data>/releases/<id>.zip` (see docs/storage-format.md).
public struct ReleaseInfo: Sendable, Equatable, Codable {
    /// Random and unguessable (24 characters): the archive's download URL needs no session.
    public var id: String
    public var space: String
    /// The instance it was made from (it may have been removed since).
    public var instance: String
    public var appName: String
    public var version: String
    public var notes: String
    /// Whether the node's public discovery page lists it.
    public var listed: Bool
    /// The SHA-256 of the archive file.
    public var sha256: String
    /// The publisher's key fingerprint (`SpaceIdentity.fingerprint`).
    public var fingerprint: String
    public var createdAt: Date
    /// The release's parsed Discovery.md, as its signed manifest carries it.
    public var discovery: Discovery?

    public init(
        id: String, space: String, instance: String, appName: String, version: String, notes: String, listed: Bool,
        sha256: String, fingerprint: String, createdAt: Date, discovery: Discovery? = nil
    ) {
        (self.id, self.space, self.instance, self.appName, self.version) = (id, space, instance, appName, version)
        (self.notes, self.listed, self.sha256, self.fingerprint, self.createdAt) = (notes, listed, sha256, fingerprint, createdAt)
        self.discovery = discovery
    }

    /// The archive's path relative to the data directory.
    public var path: String { Self.path(id: id) }

    /// `releases/<id>.zip`.
    public static func path(id: String) -> String { "releases/\(id).zip" }

    /// The icon, copied from the archive when the release was made: `releases/<id>.icon`.
    public var iconPath: String { "releases/\(id).icon" }

    /// Whether `id` has the shape of a release id (so it can name a file).
    public static func isValidID(_ id: String) -> Bool {
        id.utf8.count >= 20 && id.utf8.count <= 64 && id.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) }
    }
}
