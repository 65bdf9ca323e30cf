import Foundation
import HearthBase
import HearthCore
import HearthTesting
import Synchronization
import Testing

/// Component tests on a real SQLite file in a temporary directory.
@Suite struct BaseStoreTests {
    func withStore(clock: WallClock = .system, _ body: (BaseStore) async throws -> Void) async throws {
        try await withTemporaryDirectory { directory in
            try await body(try BaseStore(file: directory.appendingPathComponent("data.sqlite"), clock: clock))
        }
    }

    func json(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }

    @Test func putGetDeleteRoundTrip() async throws {
        try await withStore { store in
            let items = try await store.put(base: "b", values: [try json(#"{"key":"a","v":1}"#), try json(#"{"v":2}"#)])
            #expect(items[0].json == #"{"key":"a","v":1}"#)
            #expect(items[1].key.count == 12)
            #expect(try await store.get(base: "b", key: "a") == #"{"key":"a","v":1}"#)
            #expect(try await store.get(base: "other", key: "a") == nil)
            try await store.delete(base: "b", key: "a")
            try await store.delete(base: "b", key: "a")
            #expect(try await store.get(base: "b", key: "a") == nil)
        }
    }

    @Test func putReplacesWholeItemsAndRejectsBadBatchesEntirely() async throws {
        try await withStore { store in
            _ = try await store.put(base: "b", values: [try json(#"{"key":"a","x":1,"y":2}"#)])
            _ = try await store.put(base: "b", values: [try json(#"{"key":"a","z":3}"#)])
            #expect(try await store.get(base: "b", key: "a") == #"{"key":"a","z":3}"#)
            let bad: [[JSONValue]] = [
                [], Array(repeating: try json("{}"), count: 26), [try json(#"{"key":"n"}"#), try json(#"{"key":"n"}"#)],
                [try json(#"{"key":"ok"}"#), try json(#"{"key":5}"#)], [try json(#"{"key":"ok"}"#), try json("[1]")],
                [try json(#"{"key":"ok","__expires":"soon"}"#)],
                [.object(JSONObject([(key: "key", value: "big"), (key: "blob", value: .string(String(repeating: "x", count: 410_000)))]))],
                [.string(String(repeating: "k", count: 2000))],
            ]
            for values in bad {
                await #expect(throws: BaseError.self) { try await store.put(base: "b", values: values) }
            }
            #expect(try await store.get(base: "b", key: "ok") == nil)
            #expect(try await store.query(base: "b", QueryRequest()).items.count == 1)
        }
    }

    @Test func insertConflictsOnlyWithLiveItems() async throws {
        let now = Mutex(1000.0)
        try await withStore(clock: WallClock { now.withLock { $0 } }) { store in
            _ = try await store.insert(base: "b", value: try json(#"{"key":"a","__expires":1005}"#))
            await #expect(throws: BaseError.self) { try await store.insert(base: "b", value: try json(#"{"key":"a"}"#)) }
            now.withLock { $0 = 1010 }
            let item = try await store.insert(base: "b", value: try json(#"{"key":"a","v":2}"#))
            #expect(item.json == #"{"key":"a","v":2}"#)
        }
    }

    @Test func expiredItemsAreHiddenAtOnceAndPurgedLater() async throws {
        let now = Mutex(1000.0)
        try await withStore(clock: WallClock { now.withLock { $0 } }) { store in
            _ = try await store.put(
                base: "b",
                values: [
                    try json(#"{"key":"old","__expires":999}"#), try json(#"{"key":"soon","__expires":1001}"#),
                    try json(#"{"key":"keep"}"#),
                ])
            #expect(try await store.get(base: "b", key: "old") == nil)
            #expect(try await store.get(base: "b", key: "soon") != nil)
            now.withLock { $0 = 1001 }
            #expect(try await store.query(base: "b", QueryRequest()).items == [#"{"key":"keep"}"#])
            await #expect(throws: BaseError.self) {
                try await store.update(base: "b", key: "soon", UpdateRequest(parsing: try json(#"{"set":{"a":1}}"#)))
            }
            #expect(try await store.purgeExpired() == 2)
            #expect(try await store.purgeExpired() == 0)
        }
    }

    @Test func updateEchoesTheRequestAndRenewsExpiryOnlyWhenSet() async throws {
        let now = Mutex(1000.0)
        try await withStore(clock: WallClock { now.withLock { $0 } }) { store in
            _ = try await store.put(base: "b", values: [try json(#"{"key":"a","n":1,"__expires":1100}"#)])
            let echo = try await store.update(base: "b", key: "a", UpdateRequest(parsing: try json(#"{"increment":{"n":1}}"#)))
            #expect(JSONWriter.string(.object(echo)) == #"{"key":"a","set":{},"increment":{"n":1},"append":{},"prepend":{},"delete":[]}"#)
            now.withLock { $0 = 1200 }
            #expect(try await store.get(base: "b", key: "a") == nil)
            now.withLock { $0 = 1000 }
            _ = try await store.update(base: "b", key: "a", UpdateRequest(parsing: try json(#"{"set":{"__expires":1300}}"#)))
            now.withLock { $0 = 1200 }
            #expect(try await store.get(base: "b", key: "a") == #"{"key":"a","n":2,"__expires":1300}"#)
        }
    }

    @Test func concurrentWritesAreAllCommitted() async throws {
        try await withStore { store in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<16 {
                    group.addTask {
                        for index in 0..<25 {
                            _ = try await store.put(base: "b", values: [try JSONParser.parse(#"{"key":"w\#(worker)-\#(index)"}"#)])
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.query(base: "b", QueryRequest()).items.count == 400)
        }
    }

    @Test func failingWritesInAGroupDoNotAffectTheOthers() async throws {
        try await withStore { store in
            _ = try await store.put(base: "b", values: [try json(#"{"key":"taken"}"#)])
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let key = index.isMultiple(of: 2) ? "taken" : "free-\(index)"
                        return (try? await store.insert(base: "b", value: try JSONParser.parse(#"{"key":"\#(key)"}"#))) != nil
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 10)
            #expect(try await store.query(base: "b", QueryRequest()).items.count == 11)
        }
    }

    /// The Python SDK's fetch vectors (spec §1.10).
    @Test func matchesTheSDKFetchVectors() async throws {
        try await withStore { store in
            _ = try await store.put(
                base: "b",
                values: [
                    try json(#"{"key":"existing1","value":"test"}"#), try json(#"{"key":"existing2","value":7}"#),
                    try json(#"{"key":"existing3","value":44}"#), try json(#"{"key":"existing4","value":{"name":"patrick"}}"#),
                    try json(#"{"key":"%@#//#!#)#$_","value":0,"list":["a"]}"#),
                ])
            func fetch(_ query: String, limit: Int? = nil, last: String? = nil, desc: Bool = false) async throws -> ([String], String?) {
                let request = QueryRequest(query: try QueryParser.parseQuery(try json(query)), limit: limit, last: last, descending: desc)
                let page = try await store.query(base: "b", request)
                return (try page.items.map { try json($0).objectValue!["key"]!.stringValue! }, page.last)
            }
            #expect(try await fetch(#"{"value?gte":7}"#) == (["existing2", "existing3"], nil))
            #expect(try await fetch(#"{"value?gte":7}"#, limit: 1) == (["existing2"], "existing2"))
            #expect(try await fetch(#"[{"value?gt":6},{"value?lt":50}]"#, limit: 2) == (["%@#//#!#)#$_", "existing2"], "existing2"))
            #expect(try await fetch(#"[{"value?gt":6},{"value?lt":50}]"#, limit: 2, last: "existing2") == (["existing3"], nil))
            #expect(try await fetch(#"{"value":"test"}"#) == (["existing1"], nil))
            #expect(try await fetch(#"{"valuexyz":"x"}"#) == ([], nil))
            #expect(try await fetch(#"{"value.name":"patrick"}"#) == (["existing4"], nil))
            #expect(try await fetch(#"{"value?gte":7}"#, desc: true) == (["existing3", "existing2"], nil))
            #expect(try await fetch(#"{"value":{"name":"patrick"}}"#) == (["existing4"], nil))
            #expect(try await fetch(#"{"list?contains":"a"}"#) == (["%@#//#!#)#$_"], nil))
            #expect(try await fetch(#"{"key?pfx":"exist"}"#, limit: 2) == (["existing1", "existing2"], "existing2"))
        }
    }

    @Test func stopsALongPageEarlyWithLastSet() async throws {
        var limits = BaseLimits()
        limits.maxQueryPageBytes = 1000
        try await withTemporaryDirectory { directory in
            let store = try BaseStore(file: directory.appendingPathComponent("d.sqlite"), limits: limits)
            let filler = String(repeating: "x", count: 300)
            _ = try await store.put(base: "b", values: try (0..<10).map { try JSONParser.parse(#"{"key":"k\#($0)","f":"\#(filler)"}"#) })
            let page = try await store.query(base: "b", QueryRequest())
            #expect(page.items.count == 3)
            #expect(page.last == "k2")
        }
    }
}
