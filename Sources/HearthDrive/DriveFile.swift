import Foundation

/// What is known about a stored file.
public struct DriveFileInfo: Sendable, Equatable {
    public var name: String
    public var size: Int64
    public var contentType: String
    /// SHA-256 of the content, lowercase hex.
    public var sha256: String
    public var modified: Date
}

/// An open file: its facts and its content, readable by range. The content stays readable
/// even if the file is replaced or deleted while it is open.
public final class DriveFile: Sendable {
    public let info: DriveFileInfo
    /// The blobs holding the content, each with the file offset it starts at.
    private let segments: [(start: Int64, blob: BlobReader)]

    init(info: DriveFileInfo, blobs: [BlobReader]) {
        self.info = info
        var start: Int64 = 0
        var segments: [(start: Int64, blob: BlobReader)] = []
        for blob in blobs {
            segments.append((start, blob))
            start += blob.size
        }
        self.segments = segments
    }

    /// Up to `count` bytes of content starting at `offset`, decrypted and authenticated.
    public func read(offset: Int64, count: Int) throws(DriveError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(count)
        var position = offset, wanted = Int64(min(Int64(count), max(0, info.size - offset)))
        for (start, blob) in segments where position < start + blob.size && wanted > 0 {
            guard position >= start else { continue }
            let take = min(wanted, start + blob.size - position)
            try blob.read(offset: position - start, count: Int(take), into: &output)
            position += take
            wanted -= take
        }
        return output
    }
}

/// One page of a Drive listing (spec §2.3.7).
public struct ListRequest: Sendable, Equatable {
    public var prefix: String
    /// The exclusive start: a name, or a collapsed folder (ending in `/`) of a previous page.
    public var last: String?
    public var limit: Int
    /// `false` collapses names with a `/` after the prefix into their first folder.
    public var recursive: Bool

    public init(prefix: String = "", last: String? = nil, limit: Int = 1000, recursive: Bool = true) {
        self.prefix = prefix
        self.last = last
        self.limit = limit
        self.recursive = recursive
    }
}

public struct ListPage: Sendable, Equatable {
    public var names: [String]
    /// The last name of the page, set only when more names follow.
    public var last: String?
}

/// The outcome of deleting many files (spec §2.3.8).
public struct DeleteResult: Sendable, Equatable {
    /// Names deleted, including names that did not exist.
    public var deleted: [String]
    /// Names not deleted, with the reason.
    public var failed: [Failure]

    public struct Failure: Sendable, Equatable {
        public var name: String
        public var reason: String
    }
}
