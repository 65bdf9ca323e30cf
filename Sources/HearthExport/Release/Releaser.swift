import Foundation
import HearthCore
import HearthRegistry

/// Makes releases of installed instances: checks the app's Discovery.md, signs the app copy in
/// use with its space's identity, writes `<data>/releases/<id>.zip` and the icon the discovery
/// page shows (both read-only) and records it. Each version once per app and
/// space; a failed release leaves nothing.
public struct Releaser: Sendable {
    let registry: Registry
    let layout: DataLayout

    public init(registry: Registry, layout: DataLayout) {
        self.registry = registry
        self.layout = layout
    }

    public func release(_ info: InstanceInfo, version: String, notes: String, listed: Bool) async throws -> ReleaseInfo {
        guard try await !registry.hasRelease(appName: info.appName, version: version, space: info.space) else {
            throw RegistryError(RegistryError.conflict, "\(info.appName) \(version) was released already; releases are immutable")
        }
        let app = layout.instance(info).app
        let spacefile = try Spacefile.load(directory: app)
        let discovery = try ReleaseDiscovery.load(app: app, listed: listed)
        let identity = try SpaceIdentity.loadOrCreate(space: info.space, in: layout)
        let id = Secrets.identifier(length: 24)
        let file = layout.resolve(ReleaseInfo.path(id: id))
        let (manifest, sha256) = try ReleaseWriter(identity: identity).write(
            appDirectory: app, app: info.appName, version: version, notes: notes, icon: spacefile.icon, discovery: discovery, to: file)
        let release = ReleaseInfo(
            id: id, space: info.space, instance: info.id, appName: info.appName, version: version, notes: notes, listed: listed,
            sha256: sha256, fingerprint: identity.fingerprint, createdAt: Date(), discovery: discovery)
        let icon = layout.resolve(release.iconPath)
        do {
            try ReleaseDiscovery.cacheIcon(manifest, app: app, to: icon)
            try await registry.recordRelease(release)
        } catch {
            try? FileManager.default.removeItem(at: file)
            try? FileManager.default.removeItem(at: icon)
            throw error
        }
        for path in [file.path, icon.path] {
            try? FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        }
        return release
    }
}
