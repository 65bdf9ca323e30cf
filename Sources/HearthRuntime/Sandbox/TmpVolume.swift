import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An instance's writable `tmp/` with a hard size cap: a sparse ext4 image (`tmp.img`, disk is
/// used only as files are written) mounted on `tmp/` while the instance has a sandbox. Writes
/// past the cap fail with "No space left on device" inside the app, and nothing outside fills up.
struct TmpVolume: Sendable {
    let image: URL
    let mountPoint: URL

    /// Mounts the volume with room for `bytes`, owned by `uid`. A new or resized cap makes a
    /// fresh, empty volume: `tmp/` is scratch space, as on Deta (not kept across cold starts there).
    func mount(bytes: Int64, uid: UInt32) throws(RuntimeError) {
        if isMounted { try HostCommand.run(["/usr/bin/umount", "-l", mountPoint.path]) }
        let current = (try? FileManager.default.attributesOfItem(atPath: image.path)[.size] as? Int64) ?? nil
        if current != bytes {
            try? FileManager.default.removeItem(at: image)
            guard FileManager.default.createFile(atPath: image.path, contents: nil, attributes: [.posixPermissions: 0o600]),
                truncate(image.path, off_t(bytes)) == 0
            else { throw RuntimeError(RuntimeError.launchFailed, "Cannot create \(image.path)") }
            guard let mkfs = HostCommand.locate("mkfs.ext4") else {
                throw RuntimeError(RuntimeError.launchFailed, "mkfs.ext4 is not installed (Debian: e2fsprogs)")
            }
            // No reserved blocks, no lazy init work left behind; the root directory belongs to the app.
            try HostCommand.run([
                mkfs, "-q", "-F", "-m", "0", "-E", "nodiscard,root_owner=\(uid):\(uid)", "-L", "hearth-tmp", image.path,
            ])
        }
        try? FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        try HostCommand.run(["/usr/bin/mount", "-o", "loop,nosuid,nodev", image.path, mountPoint.path])
        chown(mountPoint.path, uid, uid)
        // Traversable: bubblewrap, as root without file capabilities, mounts and changes directory below it.
        chmod(mountPoint.path, 0o755)
    }

    func unmount() {
        if isMounted { _ = try? HostCommand.run(["/usr/bin/umount", "-l", mountPoint.path]) }
    }

    /// Whether something is mounted on `tmp/` (a volume left by a node that was killed, say).
    var isMounted: Bool {
        var own = stat()
        var parent = stat()
        guard stat(mountPoint.path, &own) == 0, stat(mountPoint.deletingLastPathComponent().path, &parent) == 0 else { return false }
        return own.st_dev != parent.st_dev
    }

    /// Bytes in use on the volume.
    var usedBytes: Int64 {
        var info = statvfs()
        guard isMounted, statvfs(mountPoint.path, &info) == 0 else { return 0 }
        return Int64(info.f_blocks - info.f_bfree) * Int64(info.f_frsize)
    }
}
