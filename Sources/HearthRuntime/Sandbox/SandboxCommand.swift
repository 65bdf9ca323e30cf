import Foundation

/// The command line that starts one micro in its instance's sandbox:
///
///     sh -c <join> hearth-enter <groups> -- bwrap <namespaces, mounts> -- setpriv <drop to its user> -- <micro>
///
/// A short shell script (`hearth-enter` in `ps`) writes its pid into the micro's control groups
/// and executes bubblewrap, so every process of the micro starts inside them; bubblewrap, still as root so it can reach
/// the files it mounts, makes the mount, pid, ipc and uts namespaces (the network namespace is
/// the instance's, entered by the thread that starts it) and keeps only `setuid` capabilities;
/// `setpriv` switches to the instance's own unprivileged user with no capabilities and no new
/// privileges before the micro's command runs.
struct SandboxCommand: Equatable {
    struct Tools: Equatable {
        var bubblewrap: String
        var setpriv: String
    }

    struct Room: Equatable {
        var uid: UInt32
        var hostname: String
        /// The deployment's directory (`InstanceLayout.code`): its `app/` and `build/` are
        /// mounted read-only at their own paths.
        var codeDirectory: String
        /// Mounted writable on `/tmp`.
        var tmp: String
        /// Generated `/etc` files (`passwd`, `group`, `hosts`, `hostname`).
        var etc: String
        var controlGroups: [String]
    }

    /// System directories mounted read-only when the host has them.
    static let systemDirectories = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]
    /// Files and directories of the host's `/etc` programs commonly need; nothing private.
    static let etcEntries = [
        "alternatives", "ca-certificates", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "mime.types",
        "nsswitch.conf", "os-release", "protocols", "services", "ssl", "pki", "timezone", "gai.conf", "host.conf", "fonts",
    ]
    /// The generated `/etc` files of a room.
    static let generatedEtc = ["passwd", "group", "hosts", "hostname"]

    static func arguments(
        tools: Tools, room: Room, micro: [String], workingDirectory: String, readOnlyPaths: [String],
        fileExists: (String) -> FileKind? = FileKind.of
    ) -> [String] {
        let enter = ["/bin/sh", "-c", joinScript, "hearth-enter"] + room.controlGroups
        var bwrap = [
            tools.bubblewrap, "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--hostname", room.hostname,
            "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP",
        ]
        for directory in systemDirectories {
            switch fileExists(directory) {
            case .symlink(let target): bwrap += ["--symlink", target, directory]
            case .directory: bwrap += ["--ro-bind", directory, directory]
            case .file, nil: continue
            }
        }
        bwrap += ["--perms", "0755", "--dir", "/etc"]
        for entry in etcEntries where fileExists("/etc/" + entry) != nil {
            bwrap += ["--ro-bind", "/etc/" + entry, "/etc/" + entry]
        }
        for file in generatedEtc { bwrap += ["--ro-bind", room.etc + "/" + file, "/etc/" + file] }
        // `/tmp` first, so host paths below it (a data directory in /tmp) are mounted over it; each
        // such path's top directory there becomes a tiny tmpfs, keeping the volume untouched.
        bwrap += ["--bind", room.tmp, "/tmp"]
        var mounted: Set<String> = ["/", "/tmp"]
        let instancePaths = ["app", "build"].map { room.codeDirectory + "/" + $0 }.filter { fileExists($0) != nil }
        let paths = instancePaths + readOnlyPaths
        for top in Set(paths.compactMap(topUnderTmp)).sorted() {
            mounted.insert(top)
            bwrap += ["--perms", "0755", "--size", "65536", "--tmpfs", top]
        }
        for path in paths {
            bwrap += parents(of: path, skipping: &mounted) + ["--ro-bind", path, path]
        }
        bwrap += ["--proc", "/proc", "--dev", "/dev", "--remount-ro", "/", "--chdir", workingDirectory]
        let drop = [
            tools.setpriv, "--reuid", "\(room.uid)", "--regid", "\(room.uid)", "--clear-groups", "--no-new-privs",
            "--bounding-set", "-all", "--inh-caps", "-all",
        ]
        return enter + ["--"] + bwrap + ["--"] + drop + ["--"] + micro
    }

    /// `/tmp/<name>` for a path below `/tmp`.
    private static func topUnderTmp(_ path: String) -> String? {
        let components = path.split(separator: "/")
        return components.count > 2 && components[0] == "tmp" ? "/tmp/" + components[1] : nil
    }

    /// Joins each control group named before `--`, then executes the rest; exits 126 if it cannot.
    static let joinScript = #"while [ "$1" != -- ]; do echo $$ > "$1/cgroup.procs" || exit 126; shift; done; shift; exec "$@""#

    /// `--dir` steps making the missing parents of `path` traversable (bubblewrap would copy the
    /// host's modes, and `/root` is 0700).
    private static func parents(of path: String, skipping made: inout Set<String>) -> [String] {
        var steps: [String] = []
        var parent = ""
        for component in path.split(separator: "/").dropLast() {
            parent += "/" + component
            if systemDirectories.contains(parent) || !made.insert(parent).inserted { continue }
            steps += ["--perms", "0755", "--dir", parent]
        }
        return steps
    }
}

/// What is at a path, for deciding how to mount it.
enum FileKind: Equatable {
    case directory, file
    case symlink(String)

    static func of(_ path: String) -> FileKind? {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) { return .symlink(target) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        return isDirectory.boolValue ? .directory : .file
    }
}
