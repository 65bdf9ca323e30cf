import GRDB
import HearthCore

/// A Drive as the owner's data browser lists it.
package struct DriveSummary: Sendable, Equatable {
    package let name: String
    package let files: Int
    /// Bytes of content of its files.
    package let bytes: Int64
}

extension DriveStore {
    /// Every Drive of the collection with its count of files and their bytes, in name order.
    package func summaries() async throws(DriveError) -> [DriveSummary] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.name, count(f.name), coalesce(sum(f.size), 0)
                    FROM drives d LEFT JOIN drive_files f ON f.drive = d.id GROUP BY d.id ORDER BY d.name
                    """
            ).map { DriveSummary(name: $0[0], files: $0[1], bytes: $0[2]) }
        }
    }
}
