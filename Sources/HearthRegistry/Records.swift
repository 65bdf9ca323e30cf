import Foundation

/// A space: one person's cloud on the node.
public struct Space: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var createdAt: Date
}

/// A collection: the Bases and Drives addressed by one project id.
public struct CollectionInfo: Sendable, Equatable, Codable {
    /// The project id, the part of a data key before `_`.
    public var id: String
    public var space: String
    public var name: String
    /// Its directory, relative to the data directory.
    public var path: String
    public var createdAt: Date

    public init(id: String, space: String, name: String, path: String, createdAt: Date) {
        self.id = id
        self.space = space
        self.name = name
        self.path = path
        self.createdAt = createdAt
    }
}

/// A data key's public facts; the secret itself is never stored.
public struct DataKeyInfo: Sendable, Equatable, Codable {
    public var id: String
    public var collection: String
    public var name: String
    /// The first characters of the secret, to tell keys apart.
    public var hint: String
    public var createdAt: Date
    public var revokedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, collection, name, hint, createdAt, revokedAt
    }

    /// Encodes every field, with `revokedAt` as null while the key is live.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(collection, forKey: .collection)
        try container.encode(name, forKey: .name)
        try container.encode(hint, forKey: .hint)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(revokedAt, forKey: .revokedAt)
    }
}

/// An installed copy of an app in a space. Its id is also its collection's project id, and
/// its directory is the collection's directory.
public struct InstanceInfo: Sendable, Equatable, Codable {
    public var id: String
    public var space: String
    /// The host label: the instance answers at `<slug>.<node domain>`.
    public var slug: String
    public var appName: String
    /// The directory it was installed from.
    public var source: String
    /// The installed version (`DETA_SPACE_APP_VERSION`).
    public var version: String
    /// The fingerprint of the space that signed the installed release; nil for an app directory.
    public var publisher: String?
    /// Where the app copy in use lives (`InstanceLayout.deployment`).
    public var deployment: String
    /// What the last update replaced, which `rollback` returns to; nil before any update.
    public var previous: Deployment?
    public var state: InstanceState
    /// The instance directory, relative to the data directory.
    public var path: String
    public var createdAt: Date
    public var updatedAt: Date
}

extension InstanceInfo {
    /// Its collection (same id, same directory), for the Base and Drive stores.
    public var collection: CollectionInfo {
        CollectionInfo(id: id, space: space, name: slug, path: path, createdAt: createdAt)
    }
}

/// One built copy of an instance's app, with where it came from.
public struct Deployment: Sendable, Equatable, Codable {
    /// The `InstanceLayout.deployment` its files are in.
    public var id: String
    public var version: String
    public var source: String
    public var publisher: String?

    public init(id: String, version: String, source: String, publisher: String?) {
        (self.id, self.version, self.source, self.publisher) = (id, version, source, publisher)
    }
}

/// Whether an instance can serve requests.
public enum InstanceState: String, Sendable, Codable {
    /// Its app is being copied and built; requests get 503.
    case installing
    case ready
}

/// The owner of a space: who signs in to it. The passphrase is stored only as a slow hash.
public struct OwnerInfo: Sendable, Equatable, Codable {
    public var space: String
    public var username: String
    public var createdAt: Date
}

/// A signed-in browser. A dashboard session (`instance == nil`) comes from a login; each
/// instance host gets a session of its own, a child of the dashboard session it was handed
/// from, valid on that host only and revoked with its parent.
public struct SessionInfo: Sendable, Equatable, Codable {
    public var id: String
    public var space: String
    public var parent: String?
    /// The instance whose host the session is for; `nil` for the dashboard.
    public var instance: String?
    /// The client's address and user agent at login.
    public var address: String
    public var agent: String
    public var createdAt: Date
    public var lastSeenAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?

    public init(
        id: String, space: String, parent: String? = nil, instance: String? = nil, address: String, agent: String, createdAt: Date,
        lastSeenAt: Date, expiresAt: Date, revokedAt: Date? = nil
    ) {
        self.id = id
        self.space = space
        self.parent = parent
        self.instance = instance
        self.address = address
        self.agent = agent
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}

/// An owner token: lets a program (`hearth push` on another machine) act as a space's owner
/// through the node's API. Shown once as `<id>_<secret>`; only a hash of it is kept.
public struct OwnerTokenInfo: Sendable, Equatable, Codable {
    public var id: String
    public var space: String
    public var name: String
    public var createdAt: Date
    public var lastUsedAt: Date?
}

/// An app key: lets a client without a session call the micros of one instance whose
/// Spacefile allows keys (`presets.api_keys`), in header `X-Space-App-Key`.
public struct AppKeyInfo: Sendable, Equatable, Codable {
    public var id: String
    public var instance: String
    public var name: String
    /// The first characters of the key, to tell keys apart.
    public var hint: String
    public var createdAt: Date
}
