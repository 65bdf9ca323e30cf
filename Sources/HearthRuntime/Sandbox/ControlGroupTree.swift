import Foundation
import HearthCore

#if canImport(Glibc)
    import Glibc
#endif

/// The node's part of the control-group tree: `<node's own group>/hearth-<node>/<instance>/<micro>`.
/// Limits are set on an instance's group and hold for all its micros together; each micro has
/// a group of its own below, so it can be signalled as a whole, forks included.
struct ControlGroupTree: Sendable {
    enum Layout: Sendable, Equatable {
        /// One directory per v1 controller.
        case v1([ControlGroupController: String])
        case v2(String)
    }

    /// The node's directories (`…/hearth-<node>`).
    let layout: Layout

    /// Makes the node's directories under the groups it runs in. On cgroup v2 the node first
    /// moves itself into a leaf of its own group (`hearth-node`), since a v2 group with processes
    /// cannot hand controllers down.
    init(mounts: ControlGroupMounts, node: String) throws(SandboxProblem) {
        let name = "hearth-\(node)"
        do throws(RuntimeError) {
            switch mounts.version {
            case .v1(let directories):
                var bases: [ControlGroupController: String] = [:]
                for (controller, directory) in directories {
                    bases[controller] = directory + "/" + name
                    try ControlFiles.makeDirectory(bases[controller]!)
                }
                layout = .v1(bases)
            case .v2(let own):
                if !ControlFiles.processes(in: own).isEmpty, own != "/sys/fs/cgroup" {
                    try ControlFiles.makeDirectory(own + "/hearth-node")
                    try ControlFiles.write("\(getpid())", to: own + "/hearth-node/cgroup.procs")
                }
                try ControlFiles.write("+memory +pids +cpu", to: own + "/cgroup.subtree_control")
                try ControlFiles.makeDirectory(own + "/" + name)
                try ControlFiles.write("+memory +pids +cpu", to: own + "/" + name + "/cgroup.subtree_control")
                layout = .v2(own + "/" + name)
            }
        } catch {
            throw SandboxProblem(part: .limits, reason: error.message)
        }
    }

    /// The group of one instance (not created until `create`).
    func instance(_ id: String) -> InstanceControlGroup {
        InstanceControlGroup(tree: layout, name: Self.safeName(id))
    }

    /// Kills whatever an earlier run of the node left in its groups and removes them.
    func clear() {
        for base in bases {
            for group in ControlFiles.children(of: base) { InstanceControlGroup.removeTree(group) }
        }
    }

    var bases: [String] {
        switch layout {
        case .v1(let directories): Array(directories.values)
        case .v2(let directory): [directory]
        }
    }

    /// A directory name from an id: letters, digits, `-` and `_` only.
    static func safeName(_ id: String) -> String {
        String(id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}
