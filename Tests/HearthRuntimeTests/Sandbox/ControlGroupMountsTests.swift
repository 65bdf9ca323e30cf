import Foundation
import Testing

@testable import HearthRuntime

@Suite("Control group mounts")
struct ControlGroupMountsTests {
    static let v1MountInfo = """
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        38 31 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        39 31 0:36 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """

    @Test("cgroup v1: each controller's mount joined with the node's own group in it")
    func v1() throws {
        let own = "8:pids:/\n4:memory:/session/abc\n2:cpuacct:/\n1:cpu:/\n0::/\n"
        let mounts = try ControlGroupMounts.read(mountInfo: Self.v1MountInfo, ownGroups: own).get()
        #expect(
            mounts.version
                == .v1([
                    .memory: "/sys/fs/cgroup/memory/session/abc", .pids: "/sys/fs/cgroup/pids", .cpu: "/sys/fs/cgroup/cpu",
                    .cpuacct: "/sys/fs/cgroup/cpuacct",
                ]))
    }

    @Test("Co-mounted v1 controllers (cpu,cpuacct) share a directory")
    func comounted() throws {
        let info = """
            32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct
            35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
            38 31 0:35 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids
            """
        let own = "3:cpu,cpuacct:/x\n4:memory:/x\n5:pids:/x\n"
        let mounts = try ControlGroupMounts.read(mountInfo: info, ownGroups: own).get()
        guard case .v1(let directories) = mounts.version else { Issue.record("expected v1"); return }
        #expect(directories[.cpu] == "/sys/fs/cgroup/cpu,cpuacct/x")
        #expect(directories[.cpuacct] == "/sys/fs/cgroup/cpu,cpuacct/x")
    }

    @Test("cgroup v2 alone: the unified tree and the node's group in it")
    func v2() throws {
        let info = "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
        let mounts = try ControlGroupMounts.read(mountInfo: info, ownGroups: "0::/system.slice/hearth.service\n").get()
        #expect(mounts.version == .v2("/sys/fs/cgroup/system.slice/hearth.service"))
    }

    @Test("No usable controllers: a problem naming what is missing")
    func missing() {
        let info = "32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"
        guard case .failure(let problem) = ControlGroupMounts.read(mountInfo: info, ownGroups: "1:cpu:/\n") else {
            Issue.record("expected a problem")
            return
        }
        #expect(problem.part == .limits)
        #expect(problem.reason.contains("memory"))
        #expect(problem.reason.contains("pids"))
    }
}
