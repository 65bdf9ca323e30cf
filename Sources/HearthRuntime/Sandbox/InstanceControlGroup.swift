import Foundation
import HearthCore

#if canImport(Glibc)
    import Glibc
#endif

/// One instance's control groups: its limits, its usage, and a group per micro.
struct InstanceControlGroup: Sendable {
    let tree: ControlGroupTree.Layout
    let name: String

    /// Creates the instance's groups with `limits`.
    func create(limits: InstanceLimits) throws(RuntimeError) {
        for directory in directories {
            // The node's own directory too, in case an earlier node on the data directory removed it as it stopped.
            try ControlFiles.makeDirectory((directory as NSString).deletingLastPathComponent)
            try ControlFiles.makeDirectory(directory)
        }
        try apply(limits)
    }

    func apply(_ limits: InstanceLimits) throws(RuntimeError) {
        let period = 100_000
        let quota = limits.cpuCores > 0 ? max(1000, Int(limits.cpuCores * Double(period))) : -1
        switch tree {
        case .v1(let bases):
            let memory = bases[.memory]! + "/" + name
            try ControlFiles.write("\(limits.memoryBytes)", to: memory + "/memory.limit_in_bytes")
            // Without swap accounting the file is missing; the memory limit alone then holds.
            try? ControlFiles.write("\(limits.memoryBytes)", to: memory + "/memory.memsw.limit_in_bytes")
            try ControlFiles.write("\(limits.processes)", to: bases[.pids]! + "/" + name + "/pids.max")
            let cpu = bases[.cpu]! + "/" + name
            try ControlFiles.write("\(max(2, limits.cpuWeight * 1024 / 100))", to: cpu + "/cpu.shares")
            try ControlFiles.write("\(period)", to: cpu + "/cpu.cfs_period_us")
            try ControlFiles.write("\(quota)", to: cpu + "/cpu.cfs_quota_us")
        case .v2(let base):
            let directory = base + "/" + name
            try ControlFiles.write("\(limits.memoryBytes)", to: directory + "/memory.max")
            try? ControlFiles.write("0", to: directory + "/memory.swap.max")
            try ControlFiles.write("\(limits.processes)", to: directory + "/pids.max")
            try ControlFiles.write("\(min(10_000, max(1, limits.cpuWeight)))", to: directory + "/cpu.weight")
            try ControlFiles.write(quota > 0 ? "\(quota) \(period)" : "max \(period)", to: directory + "/cpu.max")
        }
    }

    /// The directories a micro's first process joins (created if missing): one per v1 controller.
    func join(micro: String) throws(RuntimeError) -> [String] {
        let leaves = directories.map { $0 + "/" + ControlGroupTree.safeName(micro) }
        for leaf in leaves { try ControlFiles.makeDirectory(leaf) }
        return leaves
    }

    /// The micro with the most processes.
    func busiestMicro() -> String? {
        guard let first = directories.first else { return nil }
        let busiest = ControlFiles.children(of: first).max {
            ControlFiles.processes(in: $0).count < ControlFiles.processes(in: $1).count
        }
        return busiest.map { ($0 as NSString).lastPathComponent }
    }

    /// The processes of one micro, or of all micros.
    func processes(micro: String? = nil) -> [Int32] {
        guard let first = directories.first else { return [] }
        guard let micro else { return ControlFiles.children(of: first).flatMap(ControlFiles.processes(in:)) }
        return ControlFiles.processes(in: first + "/" + ControlGroupTree.safeName(micro))
    }

    /// Sends `signal` to every process of a micro (of all micros when `nil`); `true` if any got it.
    @discardableResult
    func signal(_ signal: Int32, micro: String? = nil) -> Bool {
        var any = false
        for pid in processes(micro: micro) where kill(pid, signal) == 0 { any = true }
        return any
    }

    /// What the instance uses now.
    func usage() -> ResourceUsage {
        switch tree {
        case .v1(let bases):
            let memory = bases[.memory]! + "/" + name
            let pids = bases[.pids]! + "/" + name
            return ResourceUsage(
                cpuSeconds: Double(ControlFiles.number(bases[.cpuacct]! + "/" + name + "/cpuacct.usage") ?? 0) / 1e9,
                memoryBytes: ControlFiles.number(memory + "/memory.usage_in_bytes") ?? 0,
                memoryPeakBytes: ControlFiles.number(memory + "/memory.max_usage_in_bytes") ?? 0,
                processes: Int(ControlFiles.number(pids + "/pids.current") ?? 0),
                oomKills: Self.events("oom_kill", in: "memory.oom_control", below: memory),
                processLimitHits: Self.events("max", in: "pids.events", below: pids))
        case .v2(let base):
            let directory = base + "/" + name
            return ResourceUsage(
                cpuSeconds: Double(ControlFiles.field("usage_usec", in: directory + "/cpu.stat") ?? 0) / 1e6,
                memoryBytes: ControlFiles.number(directory + "/memory.current") ?? 0,
                memoryPeakBytes: ControlFiles.number(directory + "/memory.peak") ?? 0,
                processes: Int(ControlFiles.number(directory + "/pids.current") ?? 0),
                oomKills: Self.events("oom_kill", in: "memory.events", below: directory),
                processLimitHits: Self.events("max", in: "pids.events", below: directory))
        }
    }

    /// An event counter of a group and its micros' groups together: kernels count some events
    /// where the limit is set and others where the failing process is (a fork refused in a micro's group).
    static func events(_ key: String, in file: String, below directory: String) -> Int {
        ([directory] + ControlFiles.children(of: directory)).reduce(0) { total, group in
            total + Int(ControlFiles.field(key, in: group + "/" + file) ?? 0)
        }
    }

    /// Kills every process and removes the groups.
    func remove() {
        for directory in directories { Self.removeTree(directory) }
    }

    var directories: [String] {
        switch tree {
        case .v1(let bases): ControlGroupController.allCases.map { bases[$0]! + "/" + name }
        case .v2(let base): [base + "/" + name]
        }
    }

    /// Kills the processes of a group and its children, then removes them, deepest first.
    static func removeTree(_ directory: String) {
        for child in ControlFiles.children(of: directory) { removeTree(child) }
        for _ in 0..<100 {
            let pids = ControlFiles.processes(in: directory)
            if pids.isEmpty, rmdir(directory) == 0 || errno == ENOENT { return }
            for pid in pids { kill(pid, SIGKILL) }
            usleep(10_000)
        }
    }
}
