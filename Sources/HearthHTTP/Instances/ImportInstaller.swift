import Foundation
import HearthExport
import HearthRegistry
import HearthRuntime

/// How a space import installs its apps: through the node's `Installer`, with the build's
/// progress, and with `stop` run on an instance before a failed import removes it (its micros
/// may have started). The node and the CLI differ only in that step.
public struct ImportInstaller: AppInstalling {
    let installer: Installer
    let progress: any BuildProgress
    let stop: @Sendable (String) async -> Void

    public init(installer: Installer, progress: any BuildProgress, stop: @escaping @Sendable (String) async -> Void) {
        (self.installer, self.progress, self.stop) = (installer, progress, stop)
    }

    public func install(
        app directory: URL, slug: String, appName: String, version: String, origin: String, space: String
    ) async throws
        -> InstanceInfo
    {
        try await installer.install(
            source: directory, name: slug, space: space, appName: appName, version: version, origin: origin, progress: progress)
    }

    public func remove(_ instance: InstanceInfo) async throws {
        await stop(instance.id)
        try await installer.remove(instance)
    }
}
