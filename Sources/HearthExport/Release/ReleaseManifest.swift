import Foundation
import HearthCore

/// `release.json`, the manifest of a release archive: what the app is, who published it, and
/// the size and SHA-256 of every file. `release.sig` holds the publisher's Ed25519 signature of
/// this file's exact bytes.
public struct ReleaseManifest: Codable, Sendable, Equatable {
    /// The manifest's path in the archive.
    public static let path = "release.json"
    /// The signature's path in the archive.
    public static let signaturePath = "release.sig"
    /// Where the app's files live in the archive: `app/<path in the app>`.
    public static let appPrefix = "app/"
    public static let formatName = "hearth-release"
    /// The newest format version this build writes and reads.
    public static let currentVersion = 1

    public var format = ReleaseManifest.formatName
    public var formatVersion = ReleaseManifest.currentVersion
    /// The app's name (the Spacefile's `app_name`, else the instance's app name).
    public var app: String
    /// Semantic version, `MAJOR.MINOR.PATCH[-pre][+build]`.
    public var version: String
    public var notes: String
    /// ISO 8601, UTC.
    public var createdAt: String
    public var publisher: Publisher
    /// The app's icon and Discovery.md, as archive paths, when the app has them.
    public var icon: String?
    public var discovery: String?
    /// The parsed Discovery.md (spec §6.4), signed with the rest; nil without one.
    public var discoveryData: Discovery?
    /// Every file but `release.json` and `release.sig`, in archive order.
    public var files: [ExportManifest.Entry]

    /// The space that signed the release.
    public struct Publisher: Codable, Sendable, Equatable {
        /// The raw 32-byte Ed25519 public key, base64.
        public var publicKey: String
        /// SHA-256 of the raw public key in hex groups (`SpaceIdentity.fingerprint`).
        public var fingerprint: String
    }

    public static var encoder: JSONEncoder { ExportManifest.encoder }
    public static var decoder: JSONDecoder { ExportManifest.decoder }
}
