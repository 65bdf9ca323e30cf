import HearthRegistry

/// What `hearth space import` (and the owner API's import) reports: what was made, and what the owner must do by hand.
public struct SpaceImportSummary: Encodable, Sendable {
    public struct Instance: Encodable, Sendable {
        public let slug: String
        public let exportedSlug: String
        public let appName: String
        public let version: String
        public let url: String
        /// App keys the exported instance had; make them again with `hearth app key create`.
        public let appKeysToCreate: [String]
    }

    public struct Collection: Encodable, Sendable {
        public let name: String
        public let projectId: String
        /// Its first data key, shown once.
        public let dataKey: String
    }

    public let space: String
    public let owner: String?
    public let instances: [Instance]
    public let collections: [Collection]
    public let items: Int
    public let files: Int

    public init(plan: SpaceImportPlan, result: SpaceImporter.Result, owner: String?, url: (String) -> String) {
        space = result.space
        self.owner = owner
        instances = result.instances.map { record, instance in
            Instance(
                slug: instance.slug, exportedSlug: record.slug, appName: instance.appName, version: instance.version,
                url: url(instance.slug), appKeysToCreate: record.appKeys)
        }
        collections = result.collections.map { Collection(name: $0.info.name, projectId: $0.info.id, dataKey: $0.key.value) }
        items = plan.itemCount
        files = plan.fileCount
    }

    public var text: String {
        var lines = [
            "Imported space '\(space)': \(instances.count) instances, \(collections.count) collections, "
                + "\(items) items and \(files) files, hash-identical to the archive. New keys were issued."
        ]
        for instance in instances {
            let renamed = instance.slug == instance.exportedSlug ? "" : " (was '\(instance.exportedSlug)', a name taken here)"
            lines.append("  \(instance.slug)  \(instance.appName) \(instance.version)  \(instance.url)\(renamed)")
            for key in instance.appKeysToCreate {
                lines.append("    app key '\(key)' was not exported: create it again with `hearth app key create \(instance.slug) \(key)`")
            }
        }
        for collection in collections {
            lines.append(
                "  collection '\(collection.name)': project id \(collection.projectId), data key \(collection.dataKey)   (shown only now)")
        }
        if owner == nil { lines.append("  The space has no owner yet: `hearth owner create --space \(space)`.") }
        return lines.joined(separator: "\n")
    }
}
