import Foundation
import HearthCore
import HearthRegistry

extension Installer {
    /// Updates an instance to the app in `source`: builds it as a new deployment beside the one
    /// in use, which keeps serving, then switches to it in one registry write. Data, keys,
    /// settings and limits stay; the replaced deployment is kept for `rollback`, the one before
    /// it deleted. A failed build leaves the instance as it was. The caller then restarts the
    /// instance's micros on a running node.
    public func update(
        _ instance: InstanceInfo, source: URL, version: String? = nil, origin: String? = nil, publisher: String? = nil,
        progress: any BuildProgress
    ) async throws -> InstanceInfo {
        let source = source.standardizedFileURL
        let spacefile = try Spacefile.load(directory: source)
        let current = layout.instance(instance)
        let lock = try UpdateLock(in: current.directory, slug: instance.slug)
        defer { lock.release() }
        let next = current.with(deployment: Secrets.identifier(length: 12))
        let version = version ?? Self.localVersion()
        progress.step("Updating \(instance.slug) from \(instance.version) to \(version); the running version serves meanwhile")
        do {
            try await builder.buildApp(spacefile, source: source, into: next, progress: progress)
            let dropped = try await registry.deploy(
                instance.id, Deployment(id: next.deployment, version: version, source: origin ?? source.path, publisher: publisher))
            if let dropped { try? builder.removeApp(from: current.with(deployment: dropped)) }
        } catch {
            try? builder.removeApp(from: next)
            throw error
        }
        return try await registry.instance(instance.id)
    }

    /// Returns an instance to the deployment its last update replaced (a second rollback
    /// undoes the first). The caller then restarts the instance's micros on a running node.
    public func rollback(_ instance: InstanceInfo) async throws -> InstanceInfo {
        guard let previous = instance.previous else {
            throw RuntimeError(RuntimeError.noPrevious, "'\(instance.slug)' has no previous version to return to: it was never updated")
        }
        let kept = layout.instance(instance).with(deployment: previous.id)
        guard (try? Spacefile.load(directory: kept.app)) != nil else {
            throw RuntimeError(
                RuntimeError.noPrevious, "The previous version of '\(instance.slug)' (\(previous.version)) is missing on disk")
        }
        let lock = try UpdateLock(in: kept.directory, slug: instance.slug)
        defer { lock.release() }
        return try await registry.rollback(instance.id)
    }
}

/// An exclusive lock on an instance's updates (`<instance>/update.lock`), so that two updates
/// or a rollback during an update cannot interleave. Held by the process; the kernel drops it
/// if the process dies.
struct UpdateLock {
    private let descriptor: Int32

    init(in directory: URL, slug: String) throws(RuntimeError) {
        descriptor = open(directory.appendingPathComponent("update.lock").path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw RuntimeError(RuntimeError.busy, "Cannot open the update lock of '\(slug)'") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw RuntimeError(RuntimeError.busy, "'\(slug)' is being updated by another command; try again when it is done")
        }
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
