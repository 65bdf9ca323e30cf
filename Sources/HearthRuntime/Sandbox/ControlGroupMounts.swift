import Foundation

/// Where the machine's control groups are and where the node itself sits in them, read from
/// `/proc/self/mountinfo` and `/proc/self/cgroup`.
struct ControlGroupMounts: Equatable {
    enum Version: Equatable {
        /// One tree per controller: each controller's directory for the node.
        case v1([ControlGroupController: String])
        /// The unified tree: the node's own directory in it.
        case v2(String)
    }

    let version: Version

    /// The node's directories, or why there are none usable.
    static func read(mountInfo: String, ownGroups: String, root: String = "") -> Result<ControlGroupMounts, SandboxProblem> {
        var v1Mounts: [ControlGroupController: String] = [:]
        var v2Mount: String?
        for line in mountInfo.split(separator: "\n") {
            // `… mount-point options - fstype source super-options`
            let halves = line.components(separatedBy: " - ")
            guard halves.count == 2 else { continue }
            let fields = halves[0].split(separator: " ")
            let tail = halves[1].split(separator: " ")
            guard fields.count >= 5, tail.count >= 3 else { continue }
            let mountPoint = String(fields[4])
            switch tail[0] {
            case "cgroup2":
                v2Mount = mountPoint
            case "cgroup":
                for option in tail[2].split(separator: ",") {
                    if let controller = ControlGroupController(rawValue: String(option)) { v1Mounts[controller] = mountPoint }
                }
            default:
                continue
            }
        }
        var v1Paths: [String: String] = [:]
        var v2Path: String?
        for line in ownGroups.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            if parts[0] == "0", parts[1].isEmpty { v2Path = String(parts[2]) }
            for name in parts[1].split(separator: ",") { v1Paths[String(name)] = String(parts[2]) }
        }
        let needed = ControlGroupController.allCases
        if needed.allSatisfy({ v1Mounts[$0] != nil && v1Paths[$0.rawValue] != nil }) {
            var directories: [ControlGroupController: String] = [:]
            for controller in needed {
                directories[controller] = root + Self.join(v1Mounts[controller]!, v1Paths[controller.rawValue]!)
            }
            return .success(ControlGroupMounts(version: .v1(directories)))
        }
        if let v2Mount, let v2Path {
            return .success(ControlGroupMounts(version: .v2(root + Self.join(v2Mount, v2Path))))
        }
        let missing = needed.filter { v1Mounts[$0] == nil }.map(\.rawValue)
        return .failure(
            SandboxProblem(
                part: .limits,
                reason: "no cgroup v2 tree, and no cgroup v1 controller for \(missing.joined(separator: ", ")) is mounted"))
    }

    static func join(_ mount: String, _ path: String) -> String {
        path == "/" ? mount : mount + path
    }
}

/// The cgroup v1 controllers the sandbox uses (in v2 they are all in one tree).
enum ControlGroupController: String, CaseIterable, Sendable {
    case memory, pids, cpu, cpuacct
}
