import HearthCore
import Synchronization
import Testing

@Suite struct IdentifierTests {
    @Test func itemKeysAreTwelveBase36CharactersInCreationOrder() {
        let tick = Mutex(1_700_000_000.0)
        let generator = ItemKeyGenerator(clock: WallClock { tick.withLock { $0 } })
        var keys: [String] = []
        for round in 0..<2000 {
            if round % 500 == 0 { tick.withLock { $0 += 0.001 } }
            keys.append(generator.next())
        }
        #expect(keys.allSatisfy { $0.count == 12 && $0.allSatisfy { $0.isNumber || ("a"..."z").contains($0) } })
        #expect(keys == keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(Set(keys).count == keys.count)
    }

    @Test func dataKeysSplitAtTheFirstUnderscore() {
        let key = DataKey(parsing: "abc_secret_with_more")
        #expect(key?.projectID == "abc")
        #expect(key?.secret == "secret_with_more")
        #expect(DataKey(parsing: "nounderscore") == nil)
        #expect(DataKey(parsing: "_secret") == nil)
        #expect(DataKey(parsing: "project_") == nil)
    }

    @Test func secretsAreRandomAndNeverContainUnderscores() {
        let secrets = (0..<100).map { _ in Secrets.secret() }
        #expect(Set(secrets).count == 100)
        #expect(secrets.allSatisfy { $0.count == 32 && !$0.contains("_") })
        #expect(Secrets.identifier().first!.isLetter)
    }

    @Test func secretHashesAreSHA256Hex() {
        #expect(Secrets.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
