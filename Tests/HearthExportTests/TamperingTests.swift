import Foundation
import HearthCore
import HearthExport
import HearthTesting
import Testing

/// Every way an archive can be wrong is refused by `ArchiveInspector`, before anything is written.
@Suite struct TamperingTests {
    /// A valid export's entries, changed by `tamper`, written again; returns the inspector's error.
    func refusal(
        limits: ArchiveLimits = ArchiveLimits(), _ tamper: (inout [(String, Data?)]) throws -> Void
    ) async throws -> ExportError? {
        try await withTemporaryDirectory { root in
            let fixture = ExportFixture(root: root)
            let (base, drive) = try fixture.stores("c1")
            try await ExportFixture.fill(base, drive)
            let good = root.appendingPathComponent("good.zip")
            _ = try await CollectionExporter(base: base, drive: drive, source: ExportFixture.source).write(to: good)
            var entries: [(String, Data?)] = try ExportFixture.entries(good).map { ($0.0, $0.1) }
            try tamper(&entries)
            let bad = root.appendingPathComponent("bad.zip")
            try ExportFixture.write(entries, to: bad)
            return #expect(throws: ExportError.self) { try ArchiveInspector(limits: limits).inspect(bad) }
        }
    }

    func index(_ entries: [(String, Data?)], _ path: String) throws -> Int {
        try #require(entries.firstIndex { $0.0 == path })
    }

    @Test func untouchedArchivePasses() async throws {
        try await withTemporaryDirectory { root in
            let (base, drive) = try ExportFixture(root: root).stores("c1")
            try await ExportFixture.fill(base, drive)
            let file = root.appendingPathComponent("a.zip")
            _ = try await CollectionExporter(base: base, drive: drive, source: ExportFixture.source).write(to: file)
            let entries = try ExportFixture.entries(file).map { ($0.0, Optional($0.1)) }
            try ExportFixture.write(entries, to: file)
            #expect(try ArchiveInspector().inspect(file).itemCount == 3)
        }
    }

    @Test func flippedByteIsAHashMismatch() async throws {
        let error = try await refusal { entries in
            let at = try index(entries, "drives/photos/big.bin")
            var data = entries[at].1!
            data[1000] ^= 0x01
            entries[at].1 = data
        }
        #expect(error?.message.contains("does not match its size and SHA-256") == true)
    }

    @Test func changedItemIsAHashMismatch() async throws {
        let error = try await refusal { entries in
            let at = try index(entries, "bases/notes.json")
            entries[at].1 = Data(String(decoding: entries[at].1!, as: UTF8.self).replacingOccurrences(of: "héllo", with: "hallo").utf8)
        }
        #expect(error?.message.contains("bases/notes.json") == true)
    }

    @Test func entryMissingFromTheArchive() async throws {
        let error = try await refusal { entries in entries.remove(at: try index(entries, "drives/photos/a/b/c.txt")) }
        #expect(error?.message.contains("lists 'drives/photos/a/b/c.txt', which the archive lacks") == true)
    }

    @Test func entryMissingFromTheManifest() async throws {
        let error = try await refusal { entries in entries.insert(("drives/photos/extra.txt", Data("x".utf8)), at: 0) }
        #expect(error?.message.contains("'drives/photos/extra.txt' is not in the manifest") == true)
    }

    @Test(arguments: ["../x", "/etc/x", "drives/a/../../x", "drives\\..\\x", "bases//x.json"])
    func unsafePathIsRefused(path: String) async throws {
        let error = try await refusal { entries in entries.insert((path, Data("x".utf8)), at: 0) }
        #expect(error?.message.contains("Unsafe entry path") == true)
    }

    @Test func symbolicLinkIsRefused() async throws {
        let error = try await refusal { entries in entries.insert(("drives/photos/link", nil), at: 0) }
        #expect(error?.message.contains("is a symbolic link") == true)
    }

    @Test func duplicateEntryIsRefused() async throws {
        let error = try await refusal { entries in entries.insert(entries[try index(entries, "bases/notes.json")], at: 0) }
        #expect(error?.message.contains("appears more than once") == true)
    }

    @Test func archiveBombIsRefusedByItsRatio() async throws {
        let error = try await refusal { entries in entries.insert(("drives/photos/zeros", Data(count: 32 << 20)), at: 0) }
        #expect(error?.message.contains("archive bomb") == true)
    }

    @Test func archiveOverTheSizeLimitIsRefused() async throws {
        let error = try await refusal(limits: ArchiveLimits(maxTotalBytes: 100_000)) { _ in }
        #expect(error?.message.contains("expands to more than 100000 bytes") == true)
    }

    @Test func truncatedArchiveIsRefused() async throws {
        try await withTemporaryDirectory { root in
            let (base, drive) = try ExportFixture(root: root).stores("c1")
            try await ExportFixture.fill(base, drive)
            let file = root.appendingPathComponent("a.zip")
            _ = try await CollectionExporter(base: base, drive: drive, source: ExportFixture.source).write(to: file)
            let bytes = try Data(contentsOf: file)
            try bytes.prefix(bytes.count / 2).write(to: file)
            let error = #expect(throws: ExportError.self) { try ArchiveInspector().inspect(file) }
            #expect(error?.message.contains("not a zip archive, or it is truncated") == true)
        }
    }

    @Test func corruptedStoredBytesFailTheirCRC() async throws {
        try await withTemporaryDirectory { root in
            let file = root.appendingPathComponent("deta.zip")
            try ExportFixture.write([("drives/d/f.bin", Data(repeating: 7, count: 5000))], to: file, compress: false)
            var bytes = try Data(contentsOf: file)
            bytes[200] ^= 0xFF
            try bytes.write(to: file)
            let error = #expect(throws: ExportError.self) { try ArchiveInspector().inspect(file) }
            #expect(error?.message.contains("corrupt") == true)
        }
    }

    @Test(arguments: [
        (#"[{"key":5,"a":1}]"#, "item 1 has no string key"),
        (#"[{"key":"k1","__expires":"soon"}]"#, "Base 'b', key 'k1': __expires must be a number"),
        (#"[{"key":"k1"},{"key":"k1"}]"#, "key 'k1': the key appears twice"),
        (#"{"rows":[]}"#, "expected a JSON array of items"),
    ])
    func itemsBreakingDetaRulesAreRefused(json: String, message: String) async throws {
        try await withTemporaryDirectory { root in
            let file = root.appendingPathComponent("deta.zip")
            try ExportFixture.write([("bases/b.json", Data(json.utf8))], to: file)
            let error = #expect(throws: ExportError.self) { try ArchiveInspector().inspect(file) }
            #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
        }
    }

    @Test func oversizedItemIsRefusedWithItsKey() async throws {
        try await withTemporaryDirectory { root in
            let file = root.appendingPathComponent("deta.zip")
            let big = String(repeating: "x", count: 500 * 1024)
            try ExportFixture.write([("bases/b.json", Data(#"[{"key":"huge","v":"\#(big)"}]"#.utf8))], to: file)
            let error = #expect(throws: ExportError.self) { try ArchiveInspector().inspect(file) }
            #expect(error?.message.contains("Base 'b', key 'huge': Item is larger than 400 KB") == true)
        }
    }
}
