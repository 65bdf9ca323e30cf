import Foundation
import HearthCore
import HearthExport
import HearthRegistry
import HearthTesting
import Testing

/// Space archives: a whole space exported and imported on another node with the same apps,
/// configuration and hash-identical data, no secrets in the archive, and every kind of bad
/// archive refused before anything is made.
@Suite struct SpaceArchiveTests {
    /// A filled space exported from `root/a`; the archive and the secrets of the space.
    func exported(in root: URL) async throws -> (URL, SpaceFixture, [String]) {
        let source = try SpaceFixture(root: root.appendingPathComponent("a"))
        let secrets = try await source.fill()
        let file = root.appendingPathComponent("home.zip")
        _ = try await SpaceExporter(registry: source.registry, layout: source.layout, masterKeyFile: nil).write(space: "home", to: file)
        return (file, source, secrets)
    }

    func read(_ file: URL, in root: URL) throws -> SpaceImportPlan {
        let work = root.appendingPathComponent("work-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        return try SpaceArchiveReader().read(file, work: work)
    }

    @Test func spaceRoundTripIsHashIdenticalWithoutSecrets() async throws {
        try await withTemporaryDirectory { root in
            let (file, source, secrets) = try await exported(in: root)
            let bytes = try Data(contentsOf: file)
            for secret in secrets { #expect(bytes.range(of: Data(secret.utf8)) == nil) }
            let entries = try ExportFixture.entries(file).map(\.0)
            let scratchID = try #require(try await source.registry.collections(space: "home").first { $0.name == "scratch" }).id
            #expect(entries.last == SpaceManifest.path)
            #expect(
                Set(entries) == [
                    "instances/notes/release.zip", "instances/notes/data.zip", "instances/site/release.zip", "instances/site/data.zip",
                    "collections/\(scratchID)/data.zip", SpaceManifest.path,
                ])

            let plan = try read(file, in: root)
            let notes = try #require(plan.manifest.instances.first { $0.slug == "notes" })
            #expect(notes.env == [.init(name: "API_TITLE", value: "My notes")] && notes.limits?.memoryBytes == 300 << 20)
            #expect(notes.appKeys == ["phone"] && notes.version == "1.0.0")
            #expect(plan.manifest.instances.map(\.version) == ["1.0.0", "local-1"])
            #expect(plan.manifest.collections.map(\.name) == ["scratch"] && plan.manifest.space.name == "Home")

            let target = try SpaceFixture(root: root.appendingPathComponent("b"))
            let importer = SpaceImporter(
                layout: target.layout, registry: target.registry, masterKeyFile: nil,
                installer: FakeInstaller(layout: target.layout, registry: target.registry))
            let result = try await importer.run(plan, work: root, space: "home", owner: nil)
            #expect(result.instances.map(\.instance.slug) == ["notes", "site"] && result.collections.count == 1)
            let imported = try await target.registry.instance("notes")
            #expect(try await target.registry.environment(instance: imported.id) == ["API_TITLE": "My notes"])
            #expect(try await target.registry.limitOverrides(instance: imported.id).memoryBytes == 300 << 20)
            #expect(imported.version == "1.0.0" && imported.space == "home")
            let app = InstanceLayout(directory: target.layout.resolve(imported.path)).app
            #expect(try String(contentsOf: app.appendingPathComponent("public/index.html"), encoding: .utf8) == "<h1>Notes</h1>")
            for name in ["notes", "site"] {
                #expect(try await target.dataHashes(name, in: root) == (try await source.dataHashes(name, in: root)))
            }
            let scratch = try await target.registry.collections(space: "home").first { $0.name == "scratch" }
            #expect(try await target.dataHashes(try #require(scratch).id, in: root) == (try await source.dataHashes(scratchID, in: root)))
            #expect(try await target.registry.authenticate(try #require(DataKey(parsing: secrets[0]))) == nil)
        }
    }

    @Test func aFailedImportLeavesNothing() async throws {
        try await withTemporaryDirectory { root in
            let (file, _, _) = try await exported(in: root)
            let plan = try read(file, in: root)
            let target = try SpaceFixture(root: root.appendingPathComponent("b"))
            let importer = SpaceImporter(
                layout: target.layout, registry: target.registry, masterKeyFile: nil,
                installer: FakeInstaller(layout: target.layout, registry: target.registry, failOn: "site"))
            let error = await #expect(throws: ExportError.self) {
                try await importer.run(plan, work: root, space: "home", owner: nil)
            }
            #expect(error?.message.contains("Nothing was kept") == true)
            #expect(try await target.registry.spaces().map(\.id) == ["default"])
            #expect(try await target.registry.instances().isEmpty)
            #expect(try await target.registry.collections().isEmpty)
            let spaces = target.layout.root.appendingPathComponent("spaces/home")
            #expect(!FileManager.default.fileExists(atPath: spaces.path))
        }
    }

    @Test func anExistingSpaceMustBeEmpty() async throws {
        try await withTemporaryDirectory { root in
            let (file, source, _) = try await exported(in: root)
            let plan = try read(file, in: root)
            let importer = SpaceImporter(
                layout: source.layout, registry: source.registry, masterKeyFile: nil,
                installer: FakeInstaller(layout: source.layout, registry: source.registry))
            let error = await #expect(throws: ExportError.self) { try await importer.run(plan, work: root, space: "home", owner: nil) }
            #expect(error?.code == ExportError.conflict)
            let copy = try await importer.run(plan, work: root, space: "copy", owner: nil)
            #expect(copy.instances.map(\.instance.slug) == ["notes-2", "site-2"])
        }
    }

    /// The archive's entries changed by `tamper` and written again; the reader's refusal.
    func refusal(_ tamper: (inout [(String, Data?)]) throws -> Void) async throws -> ExportError? {
        try await withTemporaryDirectory { root in
            let (file, _, _) = try await exported(in: root)
            var entries: [(String, Data?)] = try ExportFixture.entries(file).map { ($0.0, $0.1) }
            try tamper(&entries)
            let bad = root.appendingPathComponent("bad.zip")
            try ExportFixture.write(entries, to: bad, compress: false)
            return #expect(throws: ExportError.self) { try read(bad, in: root) }
        }
    }

    func index(_ entries: [(String, Data?)], _ path: String) throws -> Int {
        try #require(entries.firstIndex { $0.0 == path })
    }

    @Test func tamperedByteIsRefused() async throws {
        let error = try await refusal { entries in
            let at = try index(entries, "instances/notes/data.zip")
            var data = try #require(entries[at].1)
            data[data.count / 2] ^= 0x01
            entries[at].1 = data
        }
        #expect(error?.message.contains("does not match its size and SHA-256") == true)
    }

    @Test func missingEntryIsRefused() async throws {
        let error = try await refusal { entries in entries.remove(at: try index(entries, "instances/site/release.zip")) }
        #expect(error?.message.contains("which the archive lacks") == true)
    }

    @Test func traversalIsRefused() async throws {
        let error = try await refusal { entries in entries.insert(("instances/../../evil.sh", Data("x".utf8)), at: 0) }
        #expect(error?.message.contains("Unsafe entry path") == true)
    }

    @Test func extraEntryIsRefused() async throws {
        let error = try await refusal { entries in entries.insert(("instances/notes/extra.zip", Data("x".utf8)), at: 0) }
        #expect(error?.message.contains("is not in the manifest") == true)
    }

    @Test func manifestMismatchIsRefused() async throws {
        let error = try await refusal { entries in
            let at = try index(entries, SpaceManifest.path)
            let text = String(decoding: try #require(entries[at].1), as: UTF8.self)
            entries[at].1 = Data(text.replacingOccurrences(of: "\"slug\" : \"site\"", with: "\"slug\" : \"../site\"").utf8)
        }
        #expect(error?.message.contains("invalid or repeated name") == true)
        let hash = try await refusal { entries in
            let at = try index(entries, SpaceManifest.path)
            var text = String(decoding: try #require(entries[at].1), as: UTF8.self)
            let range = try #require(text.range(of: "\"sha256\" : \""))
            let digit = text.index(range.upperBound, offsetBy: 0)
            text.replaceSubrange(digit...digit, with: text[digit] == "0" ? "1" : "0")
            entries[at].1 = Data(text.utf8)
        }
        #expect(hash?.message.contains("does not match its size and SHA-256") == true)
    }

    @Test func truncatedArchiveIsRefused() async throws {
        try await withTemporaryDirectory { root in
            let (file, _, _) = try await exported(in: root)
            let bytes = try Data(contentsOf: file)
            let cut = root.appendingPathComponent("cut.zip")
            try bytes.prefix(bytes.count / 2).write(to: cut)
            let error = #expect(throws: ExportError.self) { try read(cut, in: root) }
            #expect(error?.code == ExportError.badArchive)
        }
    }

    @Test func tooLittleDiskIsRefused() async throws {
        try await withTemporaryDirectory { root in
            let (file, _, _) = try await exported(in: root)
            let work = root.appendingPathComponent("work")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            let error = #expect(throws: ExportError.self) { try SpaceArchiveReader(freeBytes: { _ in 1000 }).read(file, work: work) }
            #expect(error?.code == ExportError.noSpace)
        }
    }
}
