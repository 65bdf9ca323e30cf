import Foundation
import GRDB
import HearthCore

extension Registry {
    /// Removes a headless collection and its keys from the registry; the caller removes its
    /// directory. Instances' collections go with `removeInstance`.
    public func removeCollection(_ id: String) async throws(RegistryError) {
        try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM instances WHERE id = ?", arguments: [id]) == nil else {
                throw RegistryError(RegistryError.conflict, "Collection '\(id)' belongs to an instance")
            }
            try db.execute(sql: "DELETE FROM collections WHERE id = ?", arguments: [id])
        }
    }

    /// Removes an empty space (no instances, no collections) with its owner, sessions and
    /// releases. The default space stays.
    public func removeSpace(_ id: String) async throws(RegistryError) {
        guard id != Self.defaultSpace else { throw RegistryError(RegistryError.conflict, "The default space cannot be removed") }
        try await write { db in
            let used =
                try Bool.fetchOne(db, sql: "SELECT 1 FROM collections WHERE space = ?", arguments: [id]) != nil
                || Bool.fetchOne(db, sql: "SELECT 1 FROM instances WHERE space = ?", arguments: [id]) != nil
            guard !used else { throw RegistryError(RegistryError.conflict, "Space '\(id)' still has instances or collections") }
            try db.execute(sql: "DELETE FROM releases WHERE space = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM spaces WHERE id = ?", arguments: [id])
        }
    }
}
