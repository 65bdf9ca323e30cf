import Foundation
import GRDB
import HearthCore

extension Registry {
    /// How often a session's last use is written (each write empties the registry's caches).
    static let lastSeenResolution = 600.0

    /// Starts a dashboard session for a space's owner. The token (the cookie's value) is
    /// returned once; the registry keeps only its hash.
    public func createSession(
        space: String, address: String, agent: String, lifetime: Double
    ) async throws(RegistryError) -> (SessionInfo, String) {
        let now = clock.now()
        let session = SessionInfo(
            id: Secrets.identifier(length: 12), space: space, parent: nil, instance: nil, address: address,
            agent: String(agent.prefix(200)), createdAt: Date(timeIntervalSince1970: now), lastSeenAt: Date(timeIntervalSince1970: now),
            expiresAt: Date(timeIntervalSince1970: now + lifetime), revokedAt: nil)
        let token = Secrets.secret()
        try await write { db in try Self.insert(session, token: token, db) }
        return (session, token)
    }

    /// Starts the session of one instance host, handed over from a live dashboard session of
    /// the instance's space; it ends when its parent does.
    public func createInstanceSession(parent: SessionInfo, instance: String) async throws(RegistryError) -> (SessionInfo, String) {
        let now = clock.now()
        var session = parent
        session.id = Secrets.identifier(length: 12)
        session.parent = parent.id
        session.instance = instance
        session.createdAt = Date(timeIntervalSince1970: now)
        session.lastSeenAt = session.createdAt
        let token = Secrets.secret()
        try await write { [session] db in
            guard
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM sessions WHERE id = ? AND revoked_at IS NULL AND expires_at > ?", arguments: [parent.id, now])
                    != nil
            else { throw RegistryError(RegistryError.notFound, "The session has ended") }
            try Self.insert(session, token: token, db)
        }
        return (session, token)
    }

    /// The live session a token opens: not revoked (nor its parent) and not expired. Cached
    /// until the registry changes, so a revocation counts at once (see `RegistryVersion`).
    public func session(token: String) async throws(RegistryError) -> SessionInfo? {
        let hash = Secrets.hash(token)
        let session = try await cached(hash, in: sessionCache) { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM sessions WHERE token_hash = ? AND revoked_at IS NULL"), arguments: [hash]
            ).map(Self.session)
        }
        guard let session, session.expiresAt.timeIntervalSince1970 > clock.now() else { return nil }
        return session
    }

    /// Records that a session was used, at most every ten minutes.
    public func touch(_ session: SessionInfo) async throws(RegistryError) {
        let now = clock.now()
        guard now - session.lastSeenAt.timeIntervalSince1970 >= Self.lastSeenResolution else { return }
        try await write { db in
            try db.execute(sql: "UPDATE sessions SET last_seen_at = ? WHERE id = ?", arguments: [now, session.id])
        }
    }

    /// Sessions, newest first: live ones only unless `ended` is set.
    public func sessions(space: String? = nil, ended: Bool = false) async throws(RegistryError) -> [SessionInfo] {
        let now = clock.now()
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM sessions WHERE (?1 IS NULL OR space = ?1)
                    AND (?2 OR (revoked_at IS NULL AND expires_at > ?3)) ORDER BY created_at DESC, id
                    """,
                arguments: [space, ended, now]
            ).map(Self.session)
        }
    }

    /// Ends a session (by id, or a unique prefix of at least 4 characters) and the instance
    /// sessions handed from it; returns how many ended.
    @discardableResult
    public func revokeSession(_ idOrPrefix: String, space: String? = nil) async throws(RegistryError) -> Int {
        let now = clock.now()
        return try await write { db in
            let matches = try String.fetchAll(
                db,
                sql: """
                    SELECT id FROM sessions WHERE revoked_at IS NULL AND expires_at > ?3 AND (?2 IS NULL OR space = ?2)
                    AND (id = ?1 OR (length(?1) >= 4 AND substr(id, 1, length(?1)) = ?1))
                    """,
                arguments: [idOrPrefix, space, now])
            guard matches.count == 1, let id = matches.first else {
                throw RegistryError(
                    matches.isEmpty ? RegistryError.notFound : RegistryError.conflict,
                    matches.isEmpty ? "No live session '\(idOrPrefix)'" : "'\(idOrPrefix)' matches \(matches.count) sessions")
            }
            try db.execute(
                sql: "UPDATE sessions SET revoked_at = ? WHERE (id = ?2 OR parent = ?2) AND revoked_at IS NULL", arguments: [now, id])
            return db.changesCount
        }
    }

    /// Ends every live session of a space (or of the node); returns how many ended.
    @discardableResult
    public func revokeSessions(space: String?) async throws(RegistryError) -> Int {
        let now = clock.now()
        return try await write { db in
            try db.execute(
                sql: "UPDATE sessions SET revoked_at = ? WHERE revoked_at IS NULL AND (?2 IS NULL OR space = ?2)", arguments: [now, space])
            return db.changesCount
        }
    }

    /// Deletes sessions that ended more than `age` seconds ago; returns how many.
    @discardableResult
    public func purgeEndedSessions(olderThan age: Double) async throws(RegistryError) -> Int {
        let cutoff = clock.now() - age
        return try await write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at < ?1 OR revoked_at < ?1", arguments: [cutoff])
            return db.changesCount
        }
    }

    private static func insert(_ session: SessionInfo, token: String, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO sessions (id, token_hash, space, parent, instance, address, agent, created_at, last_seen_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                session.id, Secrets.hash(token), session.space, session.parent, session.instance, session.address, session.agent,
                session.createdAt.timeIntervalSince1970, session.lastSeenAt.timeIntervalSince1970, session.expiresAt.timeIntervalSince1970,
            ])
    }

    private static func session(_ row: Row) -> SessionInfo {
        SessionInfo(
            id: row["id"], space: row["space"], parent: row["parent"], instance: row["instance"], address: row["address"],
            agent: row["agent"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
            lastSeenAt: Date(timeIntervalSince1970: row["last_seen_at"]), expiresAt: Date(timeIntervalSince1970: row["expires_at"]),
            revokedAt: (row["revoked_at"] as Double?).map { Date(timeIntervalSince1970: $0) })
    }
}
