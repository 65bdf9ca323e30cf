import Foundation
import GRDB
import HearthCore

extension Registry {
    /// Creates an owner token for a space. The returned `<id>_<secret>` is its only copy.
    public func createOwnerToken(space: String, name: String) async throws(RegistryError) -> (OwnerTokenInfo, String) {
        try Self.validateName(name, what: "Token name")
        try await requireSpace(space)
        let info = OwnerTokenInfo(
            id: Secrets.identifier(length: 10), space: space, name: name, createdAt: Date(timeIntervalSince1970: clock.now()))
        let token = info.id + "_" + Secrets.secret(length: 40)
        try await write { db in
            guard
                try Bool.fetchOne(db, sql: "SELECT 1 FROM owner_tokens WHERE space = ? AND name = ?", arguments: [space, name]) == nil
            else { throw RegistryError(RegistryError.conflict, "Space '\(space)' already has a token named '\(name)'") }
            try db.execute(
                sql: "INSERT INTO owner_tokens (id, space, name, secret_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [info.id, space, name, Secrets.hash(token), info.createdAt.timeIntervalSince1970])
        }
        return (info, token)
    }

    /// A space's owner tokens (every space's with nil), oldest first.
    public func ownerTokens(space: String?) async throws(RegistryError) -> [OwnerTokenInfo] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM owner_tokens WHERE ?1 IS NULL OR space = ?1 ORDER BY created_at, id", arguments: [space]
            )
            .map(Self.ownerToken)
        }
    }

    /// Deletes a space's token by name or id; it stops working at once.
    public func removeOwnerToken(space: String, token nameOrID: String) async throws(RegistryError) {
        try await write { db in
            try db.execute(sql: "DELETE FROM owner_tokens WHERE space = ? AND (id = ?2 OR name = ?2)", arguments: [space, nameOrID])
            guard db.changesCount > 0 else { throw RegistryError(RegistryError.notFound, "Space '\(space)' has no token '\(nameOrID)'") }
        }
    }

    /// The owner token `token` is, if any; cached until the registry changes. Marks it used at
    /// most every ten minutes.
    public func ownerToken(_ token: String) async throws(RegistryError) -> OwnerTokenInfo? {
        let hash = Secrets.hash(token)
        let lookup = try await cached(hash, in: ownerTokenCache) { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM owner_tokens WHERE secret_hash = ?"), arguments: [hash])
                .map(Self.ownerToken)
        }
        guard let found = lookup else { return nil }
        let now = clock.now()
        if now - (found.lastUsedAt?.timeIntervalSince1970 ?? 0) > 600 {
            try await write { db in
                try db.execute(sql: "UPDATE owner_tokens SET last_used_at = ? WHERE id = ?", arguments: [now, found.id])
            }
        }
        return found
    }

    private static func ownerToken(_ row: Row) -> OwnerTokenInfo {
        OwnerTokenInfo(
            id: row["id"], space: row["space"], name: row["name"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
            lastUsedAt: (row["last_used_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }
}
