import Foundation
import HearthCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What an instance's sandbox holds while the node runs, made at its first wake and kept across
/// idle stops (a wake then only starts processes): its network namespace, its control groups,
/// its `tmp/` volume, its user and its generated `/etc` files.
final class InstanceRoom: Sendable {
    let instanceID: String
    let uid: UInt32
    let hostname: String
    let network: NetworkNamespace
    let group: InstanceControlGroup?
    let tmp: TmpVolume
    let etc: URL
    private let state: Mutex<InstanceLimits>

    init(
        instanceID: String, uid: UInt32, hostname: String, network: NetworkNamespace, group: InstanceControlGroup?, tmp: TmpVolume,
        etc: URL, limits: InstanceLimits
    ) {
        self.instanceID = instanceID
        self.uid = uid
        self.hostname = hostname
        self.network = network
        self.group = group
        self.tmp = tmp
        self.etc = etc
        state = Mutex(limits)
    }

    var limits: InstanceLimits {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }

    /// Writes the room's `passwd`, `group`, `hosts` and `hostname`: the instance's user, and its
    /// own host name resolving to its loopback (where the node's API listens).
    static func writeEtc(_ directory: URL, uid: UInt32, hostname: String, appHost: String) throws(RuntimeError) {
        let files = [
            "passwd":
                "root:x:0:0:root:/root:/usr/sbin/nologin\napp:x:\(uid):\(uid):app:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
            "group": "root:x:0:\napp:x:\(uid):\nnogroup:x:65534:\n",
            "hosts": "127.0.0.1\tlocalhost \(appHost)\n::1\tlocalhost ip6-localhost ip6-loopback\n",
            "hostname": hostname + "\n",
        ]
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (name, text) in files {
                try Data(text.utf8).write(to: directory.appendingPathComponent(name))
                chmod(directory.appendingPathComponent(name).path, 0o644)
            }
        } catch {
            throw RuntimeError(RuntimeError.launchFailed, "Cannot write the sandbox's /etc files", cause: error)
        }
    }

    /// A user id for an instance, stable across runs: 110000 + a hash of its id, moved on past ids
    /// `taken` by other rooms.
    static func userID(for instanceID: String, taken: Set<UInt32>) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in instanceID.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        var uid = 110_000 + hash % 1_000_000
        while taken.contains(uid) { uid += 1 }
        return uid
    }
}
