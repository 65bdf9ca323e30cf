import Foundation
import GRDB
import HearthCore

extension DriveStore {
    /// The file `name`, opened for reading, or `nil` if there is none.
    public func open(drive: String, name: String) async throws(DriveError) -> DriveFile? {
        // A file replaced between reading its rows and opening its blobs has lost them: its
        // new version is read instead.
        for attempt in 1...3 {
            let found = try await read { db -> (DriveFileInfo, [(String, Int64)])? in
                guard let driveID = try self.drives.id(db, drive, remember: true),
                    let info = try self.info(db, driveID, name)
                else { return nil }
                let blobs = try Row.fetchAll(
                    db.cachedStatement(sql: "SELECT id, size FROM drive_blobs WHERE drive = ? AND file = ? ORDER BY part"),
                    arguments: [driveID, name]
                ).map { ($0["id"] as String, $0["size"] as Int64) }
                return (info, blobs)
            }
            guard let (info, blobs) = found else { return nil }
            do {
                let readers = try blobs.map { (id, size) throws(DriveError) in
                    try BlobReader(directory: self.blobs, id: id, size: size, collectionKey: collectionKey)
                }
                return DriveFile(info: info, blobs: readers)
            } catch  where error.code == DriveError.blobMissing && attempt < 3 {
                continue
            }
        }
        return nil
    }

    /// The facts of a file, or `nil` if there is none.
    public func info(drive: String, name: String) async throws(DriveError) -> DriveFileInfo? {
        try await read { db in
            guard let driveID = try self.drives.id(db, drive, remember: true) else { return nil }
            return try self.info(db, driveID, name)
        }
    }

    /// One page of names in byte order, as `GET /files` lists them (spec §2.3.7).
    public func list(drive: String, _ request: ListRequest) async throws(DriveError) -> ListPage {
        try await read { db in
            guard let driveID = try self.drives.id(db, drive, remember: true) else { return ListPage(names: [], last: nil) }
            var listing = Listing(request)
            var seek = listing.start
            while let (from, inclusive) = seek {
                seek = nil
                let sql = "SELECT name FROM drive_files WHERE drive = ? AND name \(inclusive ? ">=" : ">") ? ORDER BY name"
                let names = try String.fetchCursor(db.cachedStatement(sql: sql), arguments: [driveID, from])
                while let name = try names.next() {
                    switch listing.take(name) {
                    case .next: continue
                    case .seek(let next): seek = (next, true)
                    case .done: break
                    }
                    break
                }
            }
            return listing.page
        }
    }

    /// The facts of up to `limit` files after `after` whose names start with `prefix`.
    public func files(
        drive: String, prefix: String = "", after: String? = nil, limit: Int = 1000
    ) async throws(DriveError)
        -> [DriveFileInfo]
    {
        try await read { db in
            guard let driveID = try self.drives.id(db, drive, remember: true) else { return [] }
            let rows = try Row.fetchCursor(
                db, sql: "SELECT * FROM drive_files WHERE drive = ? AND name >= ? AND name > ? ORDER BY name",
                arguments: [driveID, prefix, after ?? ""])
            var files: [DriveFileInfo] = []
            while files.count < limit, let row = try rows.next() {
                let info = Self.info(row)
                guard info.name.utf8.starts(with: prefix.utf8) else { break }
                files.append(info)
            }
            return files
        }
    }

    private func info(_ db: Database, _ driveID: Int64, _ name: String) throws -> DriveFileInfo? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM drive_files WHERE drive = ? AND name = ?"), arguments: [driveID, name])
            .map(Self.info)
    }

    static func info(_ row: Row) -> DriveFileInfo {
        DriveFileInfo(
            name: row["name"], size: row["size"], contentType: row["content_type"], sha256: row["sha256"],
            modified: Date(timeIntervalSince1970: row["modified"]))
    }
}

/// The paging and folder-collapsing rules of a listing, fed names in byte order.
struct Listing {
    enum Step { case next, seek(String), done }

    let request: ListRequest
    private(set) var entries: [String] = []

    init(_ request: ListRequest) { self.request = request }

    /// Where the scan begins: after `last` (past the whole folder if it is one), at the prefix.
    var start: (String, inclusive: Bool)? {
        guard let last = request.last else { return (request.prefix, true) }
        let after = !request.recursive && last.hasSuffix("/") ? (Self.pastFolder(last), true) : (last, false)
        return Self.precedes(after.0, request.prefix) ? (request.prefix, true) : after
    }

    mutating func take(_ name: String) -> Step {
        guard name.utf8.starts(with: request.prefix.utf8), entries.count <= request.limit else { return .done }
        var entry = name
        if !request.recursive, let slash = name.utf8.dropFirst(request.prefix.utf8.count).firstIndex(of: UInt8(ascii: "/")) {
            entry = String(name[...slash])
        }
        if let last = request.last, !Self.precedes(last, entry) { return entry == name ? .next : .seek(Self.pastFolder(entry)) }
        entries.append(entry)
        if entries.count > request.limit { return .done }
        return entry == name ? .next : .seek(Self.pastFolder(entry))
    }

    var page: ListPage {
        guard entries.count > request.limit else { return ListPage(names: entries, last: nil) }
        let names = Array(entries.prefix(request.limit))
        return ListPage(names: names, last: names.last)
    }

    /// The first name after every name inside `folder` (which ends in `/`): `/` + 1 is `0`.
    static func pastFolder(_ folder: String) -> String {
        String(folder.dropLast()) + "0"
    }

    /// Byte order of UTF-8, which is SQLite's order of names.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
