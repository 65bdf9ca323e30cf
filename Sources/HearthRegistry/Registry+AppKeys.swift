import Foundation
import GRDB
import HearthCore

extension Registry {
    /// Creates an app key for an instance. The returned secret is its only copy.
    public func createAppKey(instance idOrSlug: String, name: String) async throws(RegistryError) -> (AppKeyInfo, String) {
        try Self.validateName(name, what: "Key name")
        let instance = try await instance(idOrSlug)
        let secret = Secrets.secret(length: 40)
        let info = AppKeyInfo(
            id: Secrets.identifier(length: 12), instance: instance.id, name: name, hint: String(secret.prefix(4)),
            createdAt: Date(timeIntervalSince1970: clock.now()))
        try await write { db in
            guard
                try Bool.fetchOne(db, sql: "SELECT 1 FROM app_keys WHERE instance = ? AND name = ?", arguments: [info.instance, name])
                    == nil
            else { throw RegistryError(RegistryError.conflict, "\(instance.slug) already has a key named '\(name)'") }
            try db.execute(
                sql: "INSERT INTO app_keys (id, instance, name, secret_hash, hint, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [info.id, info.instance, name, Secrets.hash(secret), info.hint, info.createdAt.timeIntervalSince1970])
        }
        return (info, secret)
    }

    /// An instance's app keys, oldest first.
    public func appKeys(instance idOrSlug: String) async throws(RegistryError) -> [AppKeyInfo] {
        let instance = try await instance(idOrSlug)
        return try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM app_keys WHERE instance = ? ORDER BY created_at, id", arguments: [instance.id])
                .map(Self.appKey)
        }
    }

    /// Deletes an app key by name or id; it stops working at once.
    public func removeAppKey(instance idOrSlug: String, key nameOrID: String) async throws(RegistryError) {
        let instance = try await instance(idOrSlug)
        try await write { db in
            try db.execute(sql: "DELETE FROM app_keys WHERE instance = ? AND (id = ?2 OR name = ?2)", arguments: [instance.id, nameOrID])
            guard db.changesCount > 0 else { throw RegistryError(RegistryError.notFound, "\(instance.slug) has no key '\(nameOrID)'") }
        }
    }

    /// The app key a secret is, if any; cached until the registry changes.
    public func appKey(secret: String) async throws(RegistryError) -> AppKeyInfo? {
        let hash = Secrets.hash(secret)
        return try await cached(hash, in: appKeyCache) { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM app_keys WHERE secret_hash = ?"), arguments: [hash]).map(Self.appKey)
        }
    }

    private static func appKey(_ row: Row) -> AppKeyInfo {
        AppKeyInfo(
            id: row["id"], instance: row["instance"], name: row["name"], hint: row["hint"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }
}
