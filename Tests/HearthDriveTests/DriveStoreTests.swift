import Crypto
import Foundation
import HearthCore
import HearthTesting
import Testing

@testable import HearthDrive

@Suite struct DriveStoreTests {
    @Test func storesReplacesAndDeletesFiles() async throws {
        try await DriveFixture.with { drive in
            let first = try await drive.put("notes/a b.txt", pattern(100_000))
            #expect(first.contentType == "text/plain; charset=utf-8")
            #expect(first.sha256 == SHA256.hash(data: pattern(100_000)).hexString)
            #expect(try await drive.content("notes/a b.txt") == pattern(100_000))

            try await drive.put("notes/a b.txt", pattern(10, seed: 2), type: "application/x-custom")
            #expect(try await drive.content("notes/a b.txt") == pattern(10, seed: 2))
            #expect(try await drive.store.info(drive: "d", name: "notes/a b.txt")?.contentType == "application/x-custom")
            #expect(drive.blobFiles.count == 1, "the replaced content is deleted")

            let result = try await drive.store.delete(drive: "d", names: ["notes/a b.txt", "never", "  "])
            #expect(result.deleted == ["notes/a b.txt", "never"])
            #expect(result.failed.map(\.name) == ["  "])
            #expect(try await drive.content("notes/a b.txt") == nil)
            #expect(drive.blobFiles.isEmpty)
            await #expect(throws: DriveError.self) { try await drive.store.delete(drive: "d", names: ["", " "]) }
        }
    }

    @Test func chunkedUploadsAssembleInPartOrderWithTheRightHash() async throws {
        try await DriveFixture.with { drive in
            let parts = [pattern(70_000, seed: 1), pattern(70_000, seed: 2), pattern(5, seed: 3)]
            for inOrder in [true, false] {
                let id = try await drive.store.createUpload(drive: "d", name: "big.bin", contentType: "binary/octet-stream")
                for index in inOrder ? [0, 1, 2] : [2, 0, 1] {
                    let writer = try await drive.store.newPartWriter(drive: "d", uploadID: id, name: "big.bin", part: index + 1)
                    try writer.append(parts[index])
                    try await drive.store.commitPart(
                        drive: "d", uploadID: id, name: "big.bin", part: index + 1, contentType: nil, writer: writer)
                }
                #expect(try await drive.content("big.bin") == (inOrder ? nil : parts.joined().map { $0 }), "invisible until complete")
                let info = try await drive.store.completeUpload(drive: "d", uploadID: id, name: "big.bin")
                #expect(info.sha256 == SHA256.hash(data: Array(parts.joined())).hexString)
                #expect(info.size == 140_005)
                #expect(info.contentType == "application/octet-stream")
                let file = try #require(try await drive.store.open(drive: "d", name: "big.bin"))
                #expect(try file.read(offset: 69_990, count: 20) == Array(Array(parts.joined())[69_990..<70_010]))
                #expect(try file.read(offset: 139_999, count: 100) == Array(Array(parts.joined())[139_999...]))
            }
            #expect(drive.blobFiles.count == 3)
        }
    }

    @Test func uploadErrorsAreClearAndChangeNothing() async throws {
        try await DriveFixture.with { drive in
            try await drive.put("keep", [1, 2, 3])
            let id = try await drive.store.createUpload(drive: "d", name: "keep", contentType: nil)
            func code(_ work: () async throws -> Void) async -> ErrorCode? {
                do {
                    try await work()
                    return nil
                } catch let error as DriveError {
                    return error.code
                } catch {
                    return "other"
                }
            }
            #expect(
                await code { _ = try await drive.store.newPartWriter(drive: "d", uploadID: "nope", name: "keep", part: 1) }
                    == DriveError.uploadNotFound)
            #expect(
                await code { _ = try await drive.store.newPartWriter(drive: "e", uploadID: id, name: "keep", part: 1) }
                    == DriveError.uploadNotFound)
            #expect(
                await code { _ = try await drive.store.newPartWriter(drive: "d", uploadID: id, name: "other", part: 1) }
                    == DriveError.badRequest)
            #expect(
                await code { _ = try await drive.store.newPartWriter(drive: "d", uploadID: id, name: "keep", part: 0) }
                    == DriveError.badRequest)
            let writer = try await drive.store.newPartWriter(drive: "d", uploadID: id, name: "keep", part: 2)
            try writer.append([9])
            try await drive.store.commitPart(drive: "d", uploadID: id, name: "keep", part: 2, contentType: nil, writer: writer)
            let missing = await #expect(throws: DriveError.self) {
                try await drive.store.completeUpload(drive: "d", uploadID: id, name: "keep")
            }
            #expect(missing?.message == "Part 1 is missing")
            #expect(try await drive.content("keep") == [1, 2, 3])
            try await drive.store.abortUpload(drive: "d", uploadID: id, name: "keep")
            #expect(
                await code { try await drive.store.completeUpload(drive: "d", uploadID: id, name: "keep") } == DriveError.uploadNotFound)
            #expect(drive.blobFiles.count == 1)
        }
    }

    @Test func completingWithNoPartsMakesAnEmptyFile() async throws {
        try await DriveFixture.with { drive in
            let id = try await drive.store.createUpload(drive: "d", name: "empty.txt", contentType: nil)
            let info = try await drive.store.completeUpload(drive: "d", uploadID: id, name: "empty.txt")
            #expect(info.size == 0)
            #expect(info.sha256 == SHA256.hash(data: [UInt8]()).hexString)
            #expect(try await drive.content("empty.txt") == [])
        }
    }

    @Test func abandonedUploadsExpireAndOrphansAreSwept() async throws {
        var limits = DriveLimits()
        limits.uploadExpiry = 100
        try await DriveFixture.with(limits: limits) { drive in
            let id = try await drive.store.createUpload(drive: "d", name: "x", contentType: nil)
            let writer = try await drive.store.newPartWriter(drive: "d", uploadID: id, name: "x", part: 1)
            try writer.append(pattern(10))
            try await drive.store.commitPart(drive: "d", uploadID: id, name: "x", part: 1, contentType: nil, writer: writer)
            drive.advance(50)
            #expect(try await drive.store.expireUploads() == 0)
            drive.advance(60)
            #expect(try await drive.store.expireUploads() == 1)
            #expect(drive.blobFiles.isEmpty)

            // A blob written but never recorded (a crash between the two) is an orphan; it is
            // swept once it is older than the sweep age, never while it may still be in use.
            let orphan = try await drive.store.newWriter()
            try orphan.append([1])
            try await orphan.finish()
            try await drive.put("kept", [2])
            #expect(try await drive.store.sweepOrphans(olderThan: 3600) == 0)
            drive.advance(7200)
            #expect(try await drive.store.sweepOrphans(olderThan: 3600) == 1)
            #expect(drive.blobFiles.count == 1)
            #expect(try await drive.content("kept") == [2])
        }
    }

    @Test func theQuotaRefusesWritesPastItAndKeepsNothing() async throws {
        var limits = DriveLimits()
        limits.quotaBytes = 1000
        try await DriveFixture.with(limits: limits) { drive in
            try await drive.put("a", pattern(600))
            let writer = try await drive.store.newWriter()
            let error = #expect(throws: DriveError.self) { try writer.append(pattern(401)) }
            #expect(error?.code == DriveError.noSpace)
            try await drive.put("b", pattern(400))
            #expect(try await drive.store.usedBytes() == 1000)
            try await drive.store.delete(drive: "d", names: ["a", "b"])

            // Two writers that each fit alone, started together: the second commit is refused.
            let first = try await drive.store.newWriter(), second = try await drive.store.newWriter()
            try first.append(pattern(600))
            try second.append(pattern(600))
            try await drive.store.commitFile(drive: "d", name: "first", contentType: nil, writer: first)
            let refused = await #expect(throws: DriveError.self) {
                try await drive.store.commitFile(drive: "d", name: "second", contentType: nil, writer: second)
            }
            #expect(refused?.code == DriveError.noSpace)
            #expect(try await drive.store.usedBytes() == 600)
            #expect(!FileManager.default.fileExists(atPath: second.url.path), "the refused content is deleted")
        }
    }

    @Test func theCollectionKeyNeedsItsMasterKey() async throws {
        try await DriveFixture.with { drive in
            try await drive.put("a", [1, 2, 3])
            let reopened = try DriveFixture.open(drive.directory, masterKey: drive.masterKey)
            #expect(try await reopened.open(drive: "d", name: "a")?.read(offset: 0, count: 3) == [1, 2, 3])
            let other = try MasterKey.loadOrCreate(at: drive.directory.appendingPathComponent("other.key"))
            let error = #expect(throws: DriveError.self) { try DriveFixture.open(drive.directory, masterKey: other) }
            #expect(error?.message.contains(drive.masterKey.id) == true)
        }
    }

    @Test func masterKeysAreCreatedPrivatelyOnceAndMalformedOnesRefused() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("keys/master.key")
            let created = try MasterKey.loadOrCreate(at: file)
            #expect(try MasterKey.loadOrCreate(at: file).id == created.id)
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            try "not a key\n".write(to: file, atomically: true, encoding: .utf8)
            #expect(throws: DriveError.self) { try MasterKey.loadOrCreate(at: file) }
        }
    }
}
