import Foundation
import GRDB
import HearthCore
import HearthTesting
import Testing

@testable import HearthDrive

/// `drive_usage` (migration `drive.v2-usage`) stays the sum of all blobs through every kind of
/// write, and the collection's storage quota counts it with the database's pages.
@Suite struct DriveUsageTests {
    func summed(_ store: DriveStore) async throws -> Int64 {
        try await store.pool.read { db in try Int64.fetchOne(db, sql: "SELECT total(size) FROM drive_blobs") ?? 0 }
    }

    @Test func usageFollowsFilesPartsCompletionsAndAborts() async throws {
        try await DriveFixture.with { drive in
            let store = drive.store
            try await drive.put("a", pattern(1000))
            try await drive.put("a", pattern(300))  // replaced
            try await drive.put("b", pattern(50))
            #expect(try await store.usedBytes() == 350)

            let kept = try await store.createUpload(drive: "d", name: "big", contentType: nil)
            for (part, size) in [(1, 700), (2, 200), (1, 100)] {  // part 1 uploaded twice
                let writer = try await store.newPartWriter(drive: "d", uploadID: kept, name: "big", part: part)
                try writer.append(pattern(size))
                try await store.commitPart(drive: "d", uploadID: kept, name: "big", part: part, contentType: nil, writer: writer)
            }
            #expect(try await store.usedBytes() == 650)
            _ = try await store.completeUpload(drive: "d", uploadID: kept, name: "big")

            let dropped = try await store.createUpload(drive: "d", name: "gone", contentType: nil)
            let writer = try await store.newPartWriter(drive: "d", uploadID: dropped, name: "gone", part: 1)
            try writer.append(pattern(999))
            try await store.commitPart(drive: "d", uploadID: dropped, name: "gone", part: 1, contentType: nil, writer: writer)
            try await store.abortUpload(drive: "d", uploadID: dropped, name: "gone")
            _ = try await store.delete(drive: "d", names: ["b"])

            #expect(try await store.usedBytes() == 600)
            #expect(try await store.usedBytes() == (try await summed(store)))
        }
    }

    @Test func theStorageQuotaCountsTheDatabaseAndTheContent() async throws {
        try await withTemporaryDirectory { directory in
            let masterKey = try MasterKey.loadOrCreate(at: directory.appendingPathComponent("master.key"))
            let database = try CollectionDatabase(file: directory.appendingPathComponent("data.sqlite"), schemas: [DriveStore.schema])
            let store = try DriveStore(
                database: database, directory: directory.appendingPathComponent("drive"), collectionID: "c1", masterKey: masterKey)
            let pages = try await database.usage().databaseBytes
            #expect(pages > 0)
            database.storageQuota = pages + 10_000
            let writer = try await store.newWriter()
            try writer.append(pattern(5000))
            try await store.commitFile(drive: "d", name: "fits", contentType: nil, writer: writer)
            #expect(try await database.usage().outsideBytes == 5000)

            let tooMuch = try await store.newWriter()
            let error = #expect(throws: DriveError.self) { try tooMuch.append(pattern(20_000)) }
            #expect(error?.code == DriveError.noSpace)
            database.storageQuota = nil
            let unlimited = try await store.newWriter()
            try unlimited.append(pattern(20_000))
            try await store.commitFile(drive: "d", name: "later", contentType: nil, writer: unlimited)
        }
    }
}
