import HearthRegistry

extension ExportManifest.Source {
    /// The collection an argument names, with what the manifest says of it: an instance (by
    /// id or slug) or a collection (by project id or name).
    public static func resolve(_ name: String, registry: Registry) async throws(RegistryError) -> (CollectionInfo, Self) {
        if let instance = try? await registry.instance(name) {
            let collection = instance.collection
            return (
                collection,
                Self(
                    kind: "instance", collection: collection.name, projectId: collection.id, space: collection.space,
                    instance: ExportManifest.InstanceSource(
                        id: instance.id, appName: instance.appName, version: instance.version, slug: instance.slug))
            )
        }
        let collection = try await registry.collection(name)
        return (collection, Self(kind: "collection", collection: collection.name, projectId: collection.id, space: collection.space))
    }
}
