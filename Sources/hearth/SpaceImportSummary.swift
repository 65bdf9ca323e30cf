import HearthExport
import HearthRegistry

/// What `hearth space import` reports: what was made, and what the owner must do by hand.
struct SpaceImportSummary: Encodable {
    struct Instance: Encodable {
        let slug: String
        let exportedSlug: String
        let appName: String
        let version: String
        let url: String
        /// App keys the exported instance had; make them again with `hearth app key create`.
        let appKeysToCreate: [String]
    }

    struct Collection: Encodable {
        let name: String
        let projectId: String
        /// Its first data key, shown once.
        let dataKey: String
    }

    let space: String
    let owner: String?
    let instances: [Instance]
    let collections: [Collection]
    let items: Int
    let files: Int

    init(plan: SpaceImportPlan, result: SpaceImporter.Result, owner: String?, url: (String) -> String) {
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

    var text: String {
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
