import Foundation
import GRDB
import HearthCore

extension Registry {
    /// Records a release whose archive is already in place; a version is unique per app and space.
    public func recordRelease(_ release: ReleaseInfo) async throws(RegistryError) {
        try await write { db in
            let taken = try Bool.fetchOne(
                db, sql: "SELECT 1 FROM releases WHERE space = ? AND app_name = ? AND version = ?",
                arguments: [release.space, release.appName, release.version])
            guard taken == nil else {
                throw RegistryError(
                    RegistryError.conflict, "\(release.appName) \(release.version) was released already; releases are immutable")
            }
            try db.execute(
                sql: """
                    INSERT INTO releases (id, space, instance, app_name, version, notes, listed, sha256, fingerprint, created_at,
                        discovery)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    release.id, release.space, release.instance, release.appName, release.version, release.notes, release.listed,
                    release.sha256, release.fingerprint, release.createdAt.timeIntervalSince1970,
                    release.discovery.flatMap { try? Self.discoveryEncoder.encode($0) }.map { String(decoding: $0, as: UTF8.self) },
                ])
        }
    }

    /// Whether `space` has released `version` of `appName`.
    public func hasRelease(appName: String, version: String, space: String) async throws(RegistryError) -> Bool {
        try await read { db in
            try Bool.fetchOne(
                db, sql: "SELECT 1 FROM releases WHERE space = ? AND app_name = ? AND version = ?", arguments: [space, appName, version])
                != nil
        }
    }

    /// Releases, newest first: of one space, or of all; only listed ones with `listedOnly`.
    public func releases(space: String? = nil, listedOnly: Bool = false) async throws(RegistryError) -> [ReleaseInfo] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM releases WHERE (?1 IS NULL OR space = ?1) AND (?2 = 0 OR listed = 1) ORDER BY created_at DESC, id",
                arguments: [space, listedOnly]
            ).map(Self.release)
        }
    }

    /// The release with this id, if any.
    public func release(_ id: String) async throws(RegistryError) -> ReleaseInfo? {
        try await read { db in try Row.fetchOne(db, sql: "SELECT * FROM releases WHERE id = ?", arguments: [id]).map(Self.release) }
    }

    private static func release(_ row: Row) -> ReleaseInfo {
        ReleaseInfo(
            id: row["id"], space: row["space"], instance: row["instance"], appName: row["app_name"], version: row["version"],
            notes: row["notes"], listed: row["listed"], sha256: row["sha256"], fingerprint: row["fingerprint"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            discovery: (row["discovery"] as String?).flatMap { try? discoveryDecoder.decode(Discovery.self, from: Data($0.utf8)) })
    }

    private static var discoveryEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    private static var discoveryDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
