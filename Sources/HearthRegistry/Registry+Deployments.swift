import Foundation
import GRDB
import HearthCore

extension Registry {
    /// Makes `deployment` the instance's app copy in use and keeps the one it replaces as the
    /// previous. Returns the id of the deployment no longer kept (the earlier previous), whose
    /// files the caller deletes.
    public func deploy(_ instance: String, _ deployment: Deployment) async throws(RegistryError) -> String? {
        let now = clock.now()
        return try await write { db in
            guard let current = try Self.fetchDeploymentRow(db, instance) else {
                throw RegistryError(RegistryError.notFound, "No instance '\(instance)'")
            }
            let dropped: String? = current["previous_deployment"]
            try db.execute(
                sql: """
                    UPDATE instances SET
                        previous_deployment = deployment, previous_version = version, previous_source = source,
                        previous_publisher = publisher,
                        deployment = ?, version = ?, source = ?, publisher = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [deployment.id, deployment.version, deployment.source, deployment.publisher, now, instance])
            return dropped
        }
    }

    /// Swaps the instance's app copy in use with the previous one, so that a second rollback
    /// undoes the first. Returns the instance as it is now.
    public func rollback(_ instance: String) async throws(RegistryError) -> InstanceInfo {
        let now = clock.now()
        try await write { db in
            guard let current = try Self.fetchDeploymentRow(db, instance) else {
                throw RegistryError(RegistryError.notFound, "No instance '\(instance)'")
            }
            guard (current["previous_deployment"] as String?) != nil else {
                throw RegistryError(RegistryError.conflict, "'\(instance)' has no previous version to return to: it was never updated")
            }
            try db.execute(
                sql: """
                    UPDATE instances SET
                        deployment = previous_deployment, version = previous_version, source = previous_source,
                        publisher = previous_publisher,
                        previous_deployment = deployment, previous_version = version, previous_source = source,
                        previous_publisher = publisher, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [now, instance])
        }
        return try await self.instance(instance)
    }

    private static func fetchDeploymentRow(_ db: Database, _ instance: String) throws -> Row? {
        try Row.fetchOne(db, sql: "SELECT deployment, previous_deployment FROM instances WHERE id = ?", arguments: [instance])
    }
}

extension DataLayout {
    /// The files of an installed instance, with the deployment it uses.
    public func instance(_ info: InstanceInfo) -> InstanceLayout {
        InstanceLayout(directory: resolve(info.path), deployment: info.deployment)
    }
}
