import Crypto
import Foundation
import HearthTesting
import Testing

@testable import HearthDrive

/// The encrypted blob format: every size and range reads back exactly, and any change on disk
/// is caught instead of returning wrong bytes.
@Suite struct BlobTests {
    static let chunk = 1024

    func withBlob(_ content: [UInt8], _ body: (BlobDirectory, String, SymmetricKey) throws -> Void) async throws {
        try await withTemporaryDirectory { directory in
            let blobs = BlobDirectory(driveDirectory: directory)
            let key = SymmetricKey(size: .bits256)
            let writer = try BlobWriter(
                directory: blobs, collectionKey: key, limit: .init(bytes: .max, error: .bad("x")), hasher: nil, chunkSize: Self.chunk)
            try writer.append(content)
            try await writer.finish()
            try body(blobs, writer.id, key)
        }
    }

    @Test(arguments: [0, 1, 1023, 1024, 1025, 3 * 1024 + 5])
    func everyRangeReadsBack(size: Int) async throws {
        let content = pattern(size)
        try await withBlob(content) { blobs, id, key in
            let reader = try BlobReader(directory: blobs, id: id, size: Int64(size), collectionKey: key)
            let edges = Set([0, 1, Self.chunk - 1, Self.chunk, Self.chunk + 1, size - 1, size].filter { $0 >= 0 && $0 <= size })
            for lower in edges {
                for upper in edges where upper >= lower {
                    var output: [UInt8] = []
                    try reader.read(offset: Int64(lower), count: upper - lower, into: &output)
                    #expect(output == Array(content[lower..<upper]), "range \(lower)..<\(upper) of \(size)")
                }
            }
        }
    }

    @Test func theFileHoldsNoPlaintext() async throws {
        let content = Array(String(repeating: "plain-marker ", count: 400).utf8)
        try await withBlob(content) { blobs, id, _ in
            let stored = try Data(contentsOf: blobs.url(id))
            #expect(stored.range(of: Data("plain-marker".utf8)) == nil)
            #expect(Array(stored.prefix(8)) == Array("HRTHBLB1".utf8))
        }
    }

    @Test(arguments: [BlobCipher.headerSize + 5, BlobCipher.headerSize + 1024 + 16 + 3, 10])
    func aFlippedByteIsAnIntegrityError(at position: Int) async throws {
        let content = pattern(3000)
        try await withBlob(content) { blobs, id, key in
            var stored = try Data(contentsOf: blobs.url(id))
            stored[position] ^= 0x01
            try stored.write(to: blobs.url(id))
            var output: [UInt8] = []
            let error = #expect(throws: DriveError.self) {
                let reader = try BlobReader(directory: blobs, id: id, size: 3000, collectionKey: key)
                try reader.read(offset: 0, count: 3000, into: &output)
            }
            #expect(error?.code == DriveError.integrity)
        }
    }

    @Test func truncationRenamingAndAWrongKeyAreCaught() async throws {
        let content = pattern(3 * 1024)
        try await withBlob(content) { blobs, id, key in
            let stored = try Data(contentsOf: blobs.url(id))
            var output: [UInt8] = []
            // The last chunk dropped, with the size adjusted to match: the new last chunk was
            // not sealed as final.
            try stored.prefix(stored.count - 1024 - 16).write(to: blobs.url(id))
            #expect(throws: DriveError.self) {
                try BlobReader(directory: blobs, id: id, size: 2048, collectionKey: key).read(offset: 1024, count: 1024, into: &output)
            }
            // The whole blob under another id: its key is bound to its id.
            let other = BlobDirectory.newID()
            _ = try blobs.prepare(other)
            try stored.write(to: blobs.url(other))
            #expect(throws: DriveError.self) {
                try BlobReader(directory: blobs, id: other, size: 3072, collectionKey: key).read(offset: 0, count: 10, into: &output)
            }
            try stored.write(to: blobs.url(id))
            #expect(throws: DriveError.self) {
                try BlobReader(directory: blobs, id: id, size: 3072, collectionKey: SymmetricKey(size: .bits256))
                    .read(offset: 0, count: 10, into: &output)
            }
            // A size that does not match the file.
            #expect(throws: DriveError.self) {
                try BlobReader(directory: blobs, id: id, size: 3071, collectionKey: key).read(offset: 0, count: 1, into: &output)
            }
            try BlobReader(directory: blobs, id: id, size: 3072, collectionKey: key).read(offset: 0, count: 3072, into: &output)
            #expect(output == content)
        }
    }

    @Test func aWriterStopsAtItsLimitAndAnUnfinishedWriterLeavesNoFile() async throws {
        try await withTemporaryDirectory { directory in
            let blobs = BlobDirectory(driveDirectory: directory)
            var url: URL?
            do {
                let writer = try BlobWriter(
                    directory: blobs, collectionKey: SymmetricKey(size: .bits256),
                    limit: .init(bytes: 10, error: DriveError(DriveError.tooLarge, "too large")), hasher: nil)
                url = writer.url
                try writer.append(pattern(10))
                let error = #expect(throws: DriveError.self) { try writer.append([1]) }
                #expect(error?.code == DriveError.tooLarge)
                #expect(FileManager.default.fileExists(atPath: writer.url.path))
            }
            #expect(!FileManager.default.fileExists(atPath: try #require(url).path))
        }
    }
}
