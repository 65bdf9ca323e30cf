import Foundation
import GRDB
import HearthCore

extension Registry {
    // MARK: Spaces

    /// Creates a space: a cloud of its own on this node, with its own owner, instances and keys.
    /// With `owner`, the space and its owner are made together, or neither is.
    public func createSpace(
        _ id: String, name: String? = nil, owner: (username: String, passphrase: String)? = nil
    ) async throws(RegistryError) -> Space {
        try Self.validateName(id, what: "Space name")
        let space = Space(id: id.lowercased(), name: name ?? id, createdAt: Date(timeIntervalSince1970: clock.now()))
        var credentials: (username: String, hash: String)?
        if let owner { credentials = (owner.username, try await Self.newHash(owner)) }
        return try await write { [credentials] db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM spaces WHERE id = ?", arguments: [space.id]) == nil else {
                throw RegistryError(RegistryError.conflict, "A space named '\(space.id)' already exists")
            }
            try db.execute(
                sql: "INSERT INTO spaces (id, name, created_at) VALUES (?, ?, ?)",
                arguments: [space.id, space.name, space.createdAt.timeIntervalSince1970])
            if let (username, hash) = credentials {
                _ = try Self.insertOwner(db, space: space.id, username: username, hash: hash, now: space.createdAt.timeIntervalSince1970)
            }
            return space
        }
    }

    /// Every space, oldest first.
    public func spaces() async throws(RegistryError) -> [Space] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM spaces ORDER BY created_at, id").map {
                Space(id: $0["id"], name: $0["name"], createdAt: Date(timeIntervalSince1970: $0["created_at"]))
            }
        }
    }

    /// Throws `notFound` unless the space exists.
    public func requireSpace(_ id: String) async throws(RegistryError) {
        let exists = try await read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM spaces WHERE id = ?", arguments: [id]) != nil }
        guard exists else { throw RegistryError(RegistryError.notFound, "No space named '\(id)'") }
    }

    // MARK: Owners

    /// Gives a space its owner, who signs in with `username` and `passphrase`.
    public func createOwner(space: String, username: String, passphrase: String) async throws(RegistryError) -> OwnerInfo {
        let hash = try await Self.newHash((username, passphrase))
        try await requireSpace(space)
        let now = clock.now()
        return try await write { db in try Self.insertOwner(db, space: space, username: username, hash: hash, now: now) }
    }

    /// Checks a new owner's name and passphrase, then hashes the passphrase.
    private static func newHash(_ owner: (username: String, passphrase: String)) async throws(RegistryError) -> String {
        try validateName(owner.username, what: "User name")
        try Passphrase.validate(owner.passphrase)
        do { return try await Passphrase.hash(owner.passphrase) } catch {
            throw RegistryError(RegistryError.storage, "Cannot hash the passphrase", cause: error)
        }
    }

    private static func insertOwner(_ db: Database, space: String, username: String, hash: String, now: Double) throws -> OwnerInfo {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM owners WHERE space = ?", arguments: [space]) == nil else {
            throw RegistryError(RegistryError.conflict, "Space '\(space)' already has an owner")
        }
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM owners WHERE username = ?", arguments: [username]) == nil else {
            throw RegistryError(RegistryError.conflict, "The user name '\(username)' is taken")
        }
        try db.execute(
            sql: "INSERT INTO owners (space, username, passphrase, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [space, username, hash, now, now])
        return OwnerInfo(space: space, username: username, createdAt: Date(timeIntervalSince1970: now))
    }

    /// Sets a new passphrase for a space's owner and ends every session of the space.
    public func changePassphrase(space: String, passphrase: String) async throws(RegistryError) {
        try Passphrase.validate(passphrase)
        let hash: String
        do { hash = try await Passphrase.hash(passphrase) } catch {
            throw RegistryError(RegistryError.storage, "Cannot hash the passphrase", cause: error)
        }
        let now = clock.now()
        try await write { db in
            try db.execute(
                sql: "UPDATE owners SET passphrase = ?, updated_at = ? WHERE space = ?", arguments: [hash, now, space])
            guard db.changesCount > 0 else { throw RegistryError(RegistryError.notFound, "Space '\(space)' has no owner") }
            try db.execute(
                sql: "UPDATE sessions SET revoked_at = ? WHERE space = ? AND revoked_at IS NULL", arguments: [now, space])
        }
    }

    /// Every space's owner.
    public func owners() async throws(RegistryError) -> [OwnerInfo] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT space, username, created_at FROM owners ORDER BY created_at").map {
                OwnerInfo(space: $0["space"], username: $0["username"], createdAt: Date(timeIntervalSince1970: $0["created_at"]))
            }
        }
    }

    /// The user name of a space's owner, if it has one.
    public func ownerName(of space: String) async -> String? {
        try? await owners().first { $0.space == space }?.username
    }

    /// Whether any space has an owner yet; a node without one offers setup.
    public func hasOwner() async throws(RegistryError) -> Bool {
        try await cached("any", in: ownerPresence) { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM owners LIMIT 1") ?? false }
    }

    /// The owner `username` names if `passphrase` is theirs. Unknown names take as long as
    /// wrong passphrases, so timing does not tell which names exist.
    public func checkPassphrase(username: String, passphrase: String) async throws(RegistryError) -> OwnerInfo? {
        let found = try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT space, username, passphrase, created_at FROM owners WHERE username = ?", arguments: [username]
            )
            .map { row -> (OwnerInfo, String) in
                (
                    OwnerInfo(space: row["space"], username: row["username"], createdAt: Date(timeIntervalSince1970: row["created_at"])),
                    row["passphrase"]
                )
            }
        }
        guard let (owner, hash) = found else {
            _ = await Passphrase.verify(passphrase, against: Self.unknownOwnerHash)
            return nil
        }
        return await Passphrase.verify(passphrase, against: hash) ? owner : nil
    }

    /// A well-formed hash no passphrase matches in practice, checked for unknown user names.
    static let unknownOwnerHash = "scrypt$16$8$2$AAAAAAAAAAAAAAAAAAAAAA==$" + Data(repeating: 0, count: 32).base64EncodedString()
}
