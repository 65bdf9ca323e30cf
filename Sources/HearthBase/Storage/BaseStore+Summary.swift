import GRDB
import HearthCore

/// A Base as the owner's data browser lists it.
package struct BaseSummary: Sendable, Equatable {
    package let name: String
    /// Live items (expired ones not yet purged are not counted).
    package let items: Int
}

extension BaseStore {
    /// Every Base of the collection with its count of live items, in name order.
    package func summaries() async throws(BaseError) -> [BaseSummary] {
        let now = clock.now()
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT b.name, (SELECT count(*) FROM items i WHERE i.base = b.id AND (i.expires IS NULL OR i.expires > ?))
                    FROM bases b ORDER BY b.name
                    """, arguments: [now]
            ).map { BaseSummary(name: $0[0], items: $0[1]) }
        }
    }
}
