import Foundation
import HearthCore
import HearthRegistry
import HearthTesting
import Testing

@Suite("Owners, sessions and app keys")
struct OwnersAndSessionsTests {
    static let passphrase = "correct horse battery staple"
    static let day = 86_400.0

    func withRegistry(_ body: (Registry, ManualClock, URL) async throws -> Void) async throws {
        try await withTemporaryDirectory { root in
            let clock = ManualClock()
            try await body(try Registry(layout: DataLayout(root: root), clock: clock.clock), clock, root)
        }
    }

    @Test func signsInOnlyWithTheRightPassphraseAndStoresNoPlainText() async throws {
        try await withRegistry { registry, _, root in
            #expect(try await registry.hasOwner() == false)
            let owner = try await registry.createOwner(space: "default", username: "Alice", passphrase: Self.passphrase)
            #expect(try await registry.hasOwner())
            #expect(try await registry.checkPassphrase(username: "alice", passphrase: Self.passphrase) == owner)
            #expect(try await registry.checkPassphrase(username: "Alice", passphrase: Self.passphrase + "!") == nil)
            #expect(try await registry.checkPassphrase(username: "bob", passphrase: Self.passphrase) == nil)
            let files = ["node.sqlite", "node.sqlite-wal"].compactMap { try? Data(contentsOf: root.appendingPathComponent($0)) }
            #expect(files.allSatisfy { $0.range(of: Data(Self.passphrase.utf8)) == nil })
            #expect(files.contains { $0.range(of: Data("scrypt$16$8$2$".utf8)) != nil })
        }
    }

    @Test func refusesWeakPassphrasesTakenNamesAndSecondOwners() async throws {
        try await withRegistry { registry, _, _ in
            await #expect(throws: RegistryError.self) {
                try await registry.createOwner(space: "default", username: "alice", passphrase: "short")
            }
            _ = try await registry.createOwner(space: "default", username: "alice", passphrase: Self.passphrase)
            await #expect(throws: RegistryError.self) {
                try await registry.createOwner(space: "default", username: "bob", passphrase: Self.passphrase)
            }
            _ = try await registry.createSpace("work")
            await #expect(throws: RegistryError.self) {
                try await registry.createOwner(space: "work", username: "ALICE", passphrase: Self.passphrase)
            }
            await #expect(throws: RegistryError.self) {
                try await registry.createOwner(space: "nowhere", username: "carol", passphrase: Self.passphrase)
            }
            #expect(try await registry.spaces().map(\.id) == ["default", "work"])
        }
    }

    @Test func sessionsExpireAndEndWithTheirParent() async throws {
        try await withRegistry { registry, clock, _ in
            let (instance, _) = try await registry.createInstance(appName: "Notes", preferredSlug: "notes", source: "/src", version: "1")
            let (dashboard, token) = try await registry.createSession(
                space: "default", address: "127.0.0.1", agent: "test", lifetime: Self.day)
            #expect(try await registry.session(token: token) == dashboard)
            #expect(try await registry.session(token: token + "x") == nil)
            let (child, childToken) = try await registry.createInstanceSession(parent: dashboard, instance: instance.id)
            #expect(try await registry.session(token: childToken)?.instance == instance.id)
            #expect(child.expiresAt == dashboard.expiresAt)

            clock.advance(Self.day + 1)
            #expect(try await registry.session(token: token) == nil)
            #expect(try await registry.session(token: childToken) == nil)
            await #expect(throws: RegistryError.self) { try await registry.createInstanceSession(parent: dashboard, instance: instance.id) }
        }
    }

    @Test func revokingADashboardSessionEndsItsInstanceSessions() async throws {
        try await withRegistry { registry, _, _ in
            let (instance, _) = try await registry.createInstance(appName: "Notes", preferredSlug: "notes", source: "/src", version: "1")
            let (dashboard, token) = try await registry.createSession(space: "default", address: "::1", agent: "", lifetime: Self.day)
            let (_, childToken) = try await registry.createInstanceSession(parent: dashboard, instance: instance.id)
            let (other, otherToken) = try await registry.createSession(space: "default", address: "::1", agent: "", lifetime: Self.day)
            #expect(try await registry.revokeSession(String(dashboard.id.prefix(6))) == 2)
            #expect(try await registry.session(token: token) == nil)
            #expect(try await registry.session(token: childToken) == nil)
            #expect(try await registry.session(token: otherToken) == other)
            #expect(try await registry.sessions().map(\.id) == [other.id])
            #expect(try await registry.sessions(ended: true).count == 3)
            await #expect(throws: RegistryError.self) { try await registry.revokeSession(dashboard.id) }
        }
    }

    @Test func aNewPassphraseEndsEverySessionOfTheSpace() async throws {
        try await withRegistry { registry, _, _ in
            _ = try await registry.createOwner(space: "default", username: "alice", passphrase: Self.passphrase)
            let (_, token) = try await registry.createSession(space: "default", address: "", agent: "", lifetime: Self.day)
            try await registry.changePassphrase(space: "default", passphrase: "another good passphrase")
            #expect(try await registry.session(token: token) == nil)
            #expect(try await registry.checkPassphrase(username: "alice", passphrase: "another good passphrase") != nil)
        }
    }

    @Test func lastUseIsWrittenAtMostEveryTenMinutes() async throws {
        try await withRegistry { registry, clock, _ in
            let (session, token) = try await registry.createSession(space: "default", address: "", agent: "", lifetime: Self.day)
            clock.advance(60)
            try await registry.touch(session)
            #expect(try await registry.session(token: token)?.lastSeenAt == session.lastSeenAt)
            clock.advance(600)
            try await registry.touch(session)
            #expect(try await registry.session(token: token)?.lastSeenAt == session.lastSeenAt.addingTimeInterval(660))
        }
    }

    @Test func appKeysOpenOneInstanceUntilRemoved() async throws {
        try await withRegistry { registry, _, _ in
            let (notes, _) = try await registry.createInstance(appName: "Notes", preferredSlug: "notes", source: "/src", version: "1")
            let (info, secret) = try await registry.createAppKey(instance: "notes", name: "script")
            #expect(info.instance == notes.id && info.hint == String(secret.prefix(4)))
            #expect(try await registry.appKey(secret: secret) == info)
            await #expect(throws: RegistryError.self) { try await registry.createAppKey(instance: "notes", name: "script") }
            #expect(try await registry.appKeys(instance: notes.id) == [info])
            try await registry.removeAppKey(instance: "notes", key: "script")
            #expect(try await registry.appKey(secret: secret) == nil)
            await #expect(throws: RegistryError.self) { try await registry.removeAppKey(instance: "notes", key: "script") }
        }
    }
}
