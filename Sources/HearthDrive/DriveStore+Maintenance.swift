import Foundation
import GRDB

extension DriveStore {
    /// Deletes blob files that no file or upload holds and that are older than `age` seconds
    /// (younger ones may belong to a write in progress); returns how many.
    @discardableResult
    public func sweepOrphans(olderThan age: Double = 3600) async throws(DriveError) -> Int {
        let directory = blobs
        let cutoff = Date(timeIntervalSince1970: clock.now() - age)
        let candidates: [String]
        do {
            candidates = try await offloaded { directory.files(modifiedBefore: cutoff) }
        } catch {
            throw Self.wrap(error)
        }
        guard !candidates.isEmpty else { return 0 }
        let known = try await read { db in Set(try String.fetchAll(db, sql: "SELECT id FROM drive_blobs")) }
        let orphans = candidates.filter { !known.contains($0) }
        directory.remove(orphans)
        return orphans.count
    }
}
