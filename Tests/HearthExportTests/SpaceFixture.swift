import Foundation
import HearthCore
import HearthExport
import HearthRegistry

/// A node's data directory with a space `home`: two instances (data, configuration, limits,
/// an app key) and a headless collection.
struct SpaceFixture {
    let layout: DataLayout
    let registry: Registry

    init(root: URL) throws {
        layout = DataLayout(root: root)
        registry = try Registry(layout: layout)
    }

    /// Fills the space; returns every secret it made, which no archive may contain.
    func fill() async throws -> [String] {
        _ = try await registry.createSpace("home", name: "Home")
        let installer = FakeInstaller(layout: layout, registry: registry)
        var secrets: [String] = []
        for (slug, app) in [("notes", "Notes"), ("site", "Site")] {
            let source = layout.root.appendingPathComponent("src-\(slug)")
            try FileManager.default.createDirectory(at: source.appendingPathComponent("public"), withIntermediateDirectories: true)
            try Data("v: 0\nmicros:\n  - name: web\n    src: .\n    engine: static\n".utf8).write(
                to: source.appendingPathComponent("Spacefile"))
            try Data("<h1>\(app)</h1>".utf8).write(to: source.appendingPathComponent("public/index.html"))
            let instance = try await installer.install(
                app: source, slug: slug, appName: app, version: slug == "notes" ? "1.0.0" : "local-1", origin: source.path, space: "home")
            secrets.append(try String(contentsOf: InstanceLayout(directory: layout.resolve(instance.path)).dataKeyFile, encoding: .utf8))
            let collections = OpenCollections(layout: layout, registry: registry)
            try await ExportFixture.fill(try collections.base(instance.collection), try collections.drive(instance.collection))
            collections.close(instance.id)
        }
        try await registry.setEnvironment(instance: try await registry.instance("notes").id, name: "API_TITLE", value: "My notes")
        var limits = InstanceLimitOverrides()
        limits.memoryBytes = 300 << 20
        try await registry.setLimits(instance: try await registry.instance("notes").id, limits)
        secrets.append(try await registry.createAppKey(instance: "notes", name: "phone").1)
        let (collection, key) = try await registry.createCollection(name: "scratch", space: "home")
        secrets.append(key.value)
        let collections = OpenCollections(layout: layout, registry: registry)
        try await ExportFixture.put(try collections.drive(collection), "files", "a.txt", Array("scratch".utf8))
        collections.close(collection.id)
        return secrets
    }

    /// Every Base hash and Drive file hash of a collection, as its export manifest gives them.
    func dataHashes(_ target: String, in root: URL) async throws -> [String] {
        let (collection, source) = try await ExportManifest.Source.resolve(target, registry: registry)
        let collections = OpenCollections(layout: layout, registry: registry)
        defer { collections.close(collection.id) }
        let file = root.appendingPathComponent("check-\(UUID().uuidString).zip")
        let manifest = try await CollectionExporter(
            base: try collections.base(collection), drive: try collections.drive(collection), source: source
        ).write(to: file)
        return manifest.bases.map { "\($0.name) \($0.items) \($0.sha256)" }
            + manifest.drives.flatMap { $0.files.map { "\($0.name) \($0.sha256)" } }
    }
}

/// Installs by registering the instance and copying its app, as `Installer` does without a build.
struct FakeInstaller: AppInstalling {
    let layout: DataLayout
    let registry: Registry
    var failOn: String?

    init(layout: DataLayout, registry: Registry, failOn: String? = nil) {
        (self.layout, self.registry, self.failOn) = (layout, registry, failOn)
    }

    func install(
        app directory: URL, slug: String, appName: String, version: String, origin: String, space: String
    ) async throws
        -> InstanceInfo
    {
        if slug == failOn { throw ExportError(ExportError.storage, "The build of '\(slug)' failed") }
        let (instance, key) = try await registry.createInstance(
            appName: appName, preferredSlug: slug, source: origin, version: version, space: space)
        let instanceLayout = InstanceLayout(directory: layout.resolve(instance.path))
        try FileManager.default.createDirectory(at: instanceLayout.secrets, withIntermediateDirectories: true)
        try Data(key.value.utf8).write(to: instanceLayout.dataKeyFile)
        try FileManager.default.copyItem(at: directory, to: instanceLayout.app)
        try await registry.setInstanceState(instance.id, .ready)
        return try await registry.instance(instance.id)
    }

    func remove(_ instance: InstanceInfo) async throws {
        try await registry.removeInstance(instance.id)
        try? FileManager.default.removeItem(at: layout.resolve(instance.path))
    }
}
