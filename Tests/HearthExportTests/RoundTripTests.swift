import Foundation
import HearthBase
import HearthCore
import HearthDrive
import HearthExport
import HearthTesting
import Testing

/// An export imported elsewhere and exported again gives the same bytes, Base and Drive.
@Suite struct RoundTripTests {
    @Test func exportImportExportIsHashIdentical() async throws {
        try await withTemporaryDirectory { root in
            let fixture = ExportFixture(root: root)
            let (base, drive) = try fixture.stores("c1")
            try await ExportFixture.fill(base, drive)
            let first = root.appendingPathComponent("first.zip")
            let manifest = try await CollectionExporter(base: base, drive: drive, source: ExportFixture.source).write(to: first)
            #expect(manifest.bases.map(\.name) == ["empty-later", "notes"])
            #expect(manifest.bases.map(\.items) == [0, 3])
            #expect(manifest.drives.map(\.name) == ["docs", "photos"])

            let entries = try ExportFixture.entries(first)
            #expect(entries.map(\.0).last == ExportManifest.path)
            let notes = String(decoding: try #require(entries.first { $0.0 == "bases/notes.json" }).1, as: UTF8.self)
            #expect(notes.contains(#"{"key":"b/ü","text":"héllo ✓","__expires":4102444800}"#))
            #expect(notes.contains("12345678901234567890"))
            #expect(entries.contains { $0.0 == "drives/photos/a/b/c.txt" && $0.1 == Data("hello".utf8) })

            let plan = try ArchiveInspector().inspect(first)
            let (base2, drive2) = try fixture.stores("c2")
            try await CollectionImporter(plan: plan, archive: first).write(base: base2, drive: drive2, directory: root, replace: false)
            #expect(try await base2.get(base: "notes", key: "a") == (try await base.get(base: "notes", key: "a")))

            let second = root.appendingPathComponent("second.zip")
            let again = try await CollectionExporter(base: base2, drive: drive2, source: ExportFixture.source).write(to: second)
            #expect(again.entries == manifest.entries)
            #expect(again.bases == manifest.bases)
            #expect(again.drives == manifest.drives)
        }
    }

    @Test func importRefusesBasesThatHoldDataUnlessReplacing() async throws {
        try await withTemporaryDirectory { root in
            let fixture = ExportFixture(root: root)
            let (base, drive) = try fixture.stores("c1")
            try await ExportFixture.fill(base, drive)
            let file = root.appendingPathComponent("a.zip")
            _ = try await CollectionExporter(base: base, drive: drive, source: ExportFixture.source).write(to: file)
            _ = try await base.put(base: "notes", values: [try JSONParser.parse(#"{"key":"new"}"#)])
            let importer = CollectionImporter(plan: try ArchiveInspector().inspect(file), archive: file)
            let error = await #expect(throws: ExportError.self) {
                try await importer.write(base: base, drive: drive, directory: root, replace: false)
            }
            #expect(error?.code == ExportError.conflict)
            #expect(try await base.get(base: "notes", key: "new") != nil)
            try await importer.write(base: base, drive: drive, directory: root, replace: true)
            #expect(try await base.get(base: "notes", key: "new") == nil)
            #expect(try await drive.info(drive: "photos", name: "big.bin")?.size == 300_000)
        }
    }

    @Test func tooLittleDiskIsRefusedBeforeWriting() async throws {
        try await withTemporaryDirectory { root in
            let fixture = ExportFixture(root: root)
            let (base, drive) = try fixture.stores("c1")
            try await ExportFixture.fill(base, drive)
            let file = root.appendingPathComponent("a.zip")
            _ = try await CollectionExporter(base: base, drive: drive, source: ExportFixture.source).write(to: file)
            let (base2, drive2) = try fixture.stores("c2")
            let importer = CollectionImporter(plan: try ArchiveInspector().inspect(file), archive: file, freeBytes: { _ in 1000 })
            let error = await #expect(throws: ExportError.self) {
                try await importer.write(base: base2, drive: drive2, directory: root, replace: false)
            }
            #expect(error?.code == ExportError.noSpace)
            #expect(try await base2.get(base: "notes", key: "a") == nil)
            #expect(try await drive2.files(drive: "photos").isEmpty)
        }
    }

    @Test func detaExportImportsInEitherShape() async throws {
        try await withTemporaryDirectory { root in
            let file = root.appendingPathComponent("deta.zip")
            try ExportFixture.write(
                [
                    ("bases/todos.json", Data(#"[{"key":"k2","done":false},{"key":"k1","title":"one"}]"#.utf8)),
                    ("bases/users.json", Data(#"{"items":[{"key":"u1","age":30}]}"#.utf8)),
                    ("drives/files/", Data()),
                    ("drives/files/docs/readme.md", Data("# hi".utf8)),
                    ("horizon/notes.txt", Data("other".utf8)),
                ], to: file)
            let plan = try ArchiveInspector().inspect(file)
            #expect(plan.manifest == nil)
            #expect(plan.skipped == ["horizon/notes.txt"])
            let (base, drive) = try ExportFixture(root: root).stores("c1")
            try await CollectionImporter(plan: plan, archive: file).write(base: base, drive: drive, directory: root, replace: false)
            #expect(try await base.get(base: "todos", key: "k1") == #"{"key":"k1","title":"one"}"#)
            #expect(try await base.get(base: "users", key: "u1") == #"{"key":"u1","age":30}"#)
            let info = try #require(try await drive.info(drive: "files", name: "docs/readme.md"))
            #expect(info.size == 4)
        }
    }
}
