import Foundation
import HearthCore

#if canImport(Glibc)
    import Glibc
#endif

/// Finds out at start what of the sandbox this host allows, and makes the launcher to match.
public enum SandboxSetup {
    public struct Outcome: Sendable {
        public let launcher: any Launcher
        /// What the host lacks; empty when every part works.
        public let problems: [SandboxProblem]
    }

    /// The launcher for `mode` on this host. `node` names the node's control groups (one per data
    /// directory, so nodes side by side keep theirs apart); `limits` gives an instance's limits.
    public static func make(
        mode: SandboxMode, node: String, limits: @escaping @Sendable (String) async -> InstanceLimits
    ) -> Outcome {
        guard mode != .off else {
            return Outcome(launcher: ProcessLauncher(), problems: [SandboxProblem(part: .isolation, reason: "turned off (--sandbox off)")])
        }
        let tools: SandboxCommand.Tools
        switch isolationTools() {
        case .failure(let problem): return Outcome(launcher: ProcessLauncher(), problems: [problem])
        case .success(let found): tools = found
        }
        var problems: [SandboxProblem] = []
        var tree: ControlGroupTree?
        let mounts = ControlGroupMounts.read(
            mountInfo: ControlFiles.read("/proc/self/mountinfo") ?? "", ownGroups: ControlFiles.read("/proc/self/cgroup") ?? "")
        do {
            tree = try ControlGroupTree(mounts: mounts.get(), node: node)
            tree?.clear()
        } catch let problem as SandboxProblem {
            problems.append(problem)
        } catch {
            problems.append(SandboxProblem(part: .limits, reason: "\(error)"))
        }
        let tmpQuota = tmpQuotaProblem()
        if let tmpQuota { problems.append(tmpQuota) }
        let launcher = SandboxLauncher(tools: tools, tree: tree, tmpQuota: tmpQuota == nil, limits: limits)
        return Outcome(launcher: launcher, problems: problems)
    }

    /// bubblewrap and setpriv, root, and network namespaces, or what is missing.
    static func isolationTools() -> Result<SandboxCommand.Tools, SandboxProblem> {
        func missing(_ reason: String) -> Result<SandboxCommand.Tools, SandboxProblem> {
            .failure(SandboxProblem(part: .isolation, reason: reason))
        }
        guard geteuid() == 0 else { return missing("the node does not run as root, which namespaces and control groups need") }
        guard let bubblewrap = locateBubblewrap() else {
            return missing("bubblewrap was not found (Debian: apt install bubblewrap; or set $HEARTH_BUBBLEWRAP)")
        }
        guard let setpriv = HostCommand.locate("setpriv") else { return missing("setpriv is not installed (Debian: util-linux)") }
        do {
            _ = try NetworkNamespace()
        } catch {
            return missing(error.message)
        }
        return .success(SandboxCommand.Tools(bubblewrap: bubblewrap, setpriv: setpriv))
    }

    /// Loop devices and mkfs.ext4 for size-capped `tmp/` volumes.
    static func tmpQuotaProblem() -> SandboxProblem? {
        guard FileManager.default.fileExists(atPath: "/dev/loop-control") else {
            return SandboxProblem(part: .tmpQuota, reason: "no loop devices (/dev/loop-control is missing)")
        }
        guard HostCommand.locate("mkfs.ext4") != nil else {
            return SandboxProblem(part: .tmpQuota, reason: "mkfs.ext4 is not installed (Debian: e2fsprogs)")
        }
        return nil
    }

    /// bubblewrap: `$HEARTH_BUBBLEWRAP` (a build of its own), else `bwrap` of the system's.
    static func locateBubblewrap() -> String? {
        guard let given = ProcessInfo.processInfo.environment["HEARTH_BUBBLEWRAP"] else { return HostCommand.locate("bwrap") }
        return FileManager.default.isExecutableFile(atPath: given) ? given : nil
    }

    /// A short name for a data directory, so each node's control groups are its own.
    public static func nodeName(dataDirectory: URL) -> String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in dataDirectory.standardizedFileURL.path.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return String(hash % (1 << 40), radix: 36)
    }
}
