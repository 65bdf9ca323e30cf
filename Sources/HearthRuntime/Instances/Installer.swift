import Foundation
import HearthCore
import HearthRegistry

/// Installs an app directory as a new instance: registers it with its own collection and keys,
/// copies and builds the app, then marks it ready. A failed install leaves nothing behind.
public struct Installer: Sendable {
    let registry: Registry
    let layout: DataLayout
    let builder: Builder

    public init(registry: Registry, layout: DataLayout, builder: Builder) {
        self.registry = registry
        self.layout = layout
        self.builder = builder
    }

    /// Installs the app in `source` (the directory holding its `Spacefile`) into `space`;
    /// `name` picks the host label (default: the app's name). A release passes its `version`
    /// `origin` (`release:<id or URL>`) and `publisher` fingerprint; a directory gets
    /// `local-<time>` and its path.
    public func install(
        source: URL, name: String? = nil, space: String = Registry.defaultSpace, appName: String? = nil, version: String? = nil,
        origin: String? = nil, publisher: String? = nil, progress: any BuildProgress
    ) async throws -> InstanceInfo {
        try await registry.requireSpace(space)
        let source = source.standardizedFileURL
        let spacefile = try Spacefile.load(directory: source)
        let appName = appName ?? spacefile.appName ?? source.lastPathComponent
        let version = version ?? Self.localVersion()
        let (instance, dataKey) = try await registry.createInstance(
            appName: appName, preferredSlug: name ?? appName, source: origin ?? source.path, version: version, publisher: publisher,
            space: space)
        let instanceLayout = InstanceLayout(directory: layout.resolve(instance.path))
        do {
            try writeSecrets(dataKey: dataKey.value, in: instanceLayout)
            try FileManager.default.createDirectory(at: instanceLayout.tmp, withIntermediateDirectories: true)
            progress.step("Installing \(appName) as \(instance.slug)")
            try await builder.buildApp(spacefile, source: source, into: instanceLayout, progress: progress)
            try await registry.setInstanceState(instance.id, .ready)
            return try await registry.instance(instance.id)
        } catch {
            try? await remove(instance)
            throw error
        }
    }

    /// Deletes an instance: its registry rows, then its directory (data included).
    public func remove(_ instance: InstanceInfo) async throws {
        try await registry.removeInstance(instance.id)
        let directory = layout.resolve(instance.path)
        // A volume left mounted by a node that was killed would keep the directory.
        TmpVolume(image: directory.appendingPathComponent("tmp.img"), mountPoint: InstanceLayout(directory: directory).tmp).unmount()
        try? builder.removeAllApps(from: InstanceLayout(directory: directory))
        try? FileManager.default.removeItem(at: directory)
    }

    /// The version of an app installed from a directory: `local-<seconds since 1970>`.
    static func localVersion() -> String {
        "local-\(Int(Date().timeIntervalSince1970))"
    }

    /// The keys micros get: the instance's data key and its internal API key, owner-only.
    private func writeSecrets(dataKey: String, in instanceLayout: InstanceLayout) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: instanceLayout.secrets, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for (url, value) in [(instanceLayout.dataKeyFile, dataKey), (instanceLayout.internalKeyFile, Secrets.secret(length: 40))] {
            let file = url.path
            guard manager.createFile(atPath: file, contents: Data(value.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw RuntimeError(RuntimeError.launchFailed, "Cannot write \(file)")
            }
        }
    }
}

extension BuildTools {
    /// The tools a node uses, with its cache under `<data>/cache`.
    public static func standard(for layout: DataLayout) -> BuildTools {
        BuildTools(cacheDirectory: layout.root.appendingPathComponent("cache"))
    }
}
