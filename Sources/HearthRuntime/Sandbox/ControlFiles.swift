import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reading and writing the small files of control-group directories.
enum ControlFiles {
    static func write(_ value: String, to path: String) throws(RuntimeError) {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open", path) }
        defer { close(descriptor) }
        let bytes = Array(value.utf8)
        guard Glibc.write(descriptor, bytes, bytes.count) == bytes.count else { throw failure("write \(value) to", path) }
    }

    static func read(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }

    static func number(_ path: String) -> Int64? {
        read(path).flatMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// A value of a `key value` file (`memory.events`, `cpu.stat`, `pids.events`).
    static func field(_ key: String, in path: String) -> Int64? {
        guard let text = read(path) else { return nil }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == key { return Int64(parts[1]) }
        }
        return nil
    }

    /// The pids in a group's `cgroup.procs`.
    static func processes(in directory: String) -> [Int32] {
        (read(directory + "/cgroup.procs") ?? "").split(separator: "\n").compactMap { Int32($0) }
    }

    /// The paths of the groups directly below `directory` (its subdirectories).
    static func children(of directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).map { directory + "/" + $0 }
            .filter { FileKind.of($0) == .directory }
    }

    static func makeDirectory(_ path: String) throws(RuntimeError) {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw failure("create", path) }
    }

    private static func failure(_ action: String, _ path: String) -> RuntimeError {
        RuntimeError(RuntimeError.launchFailed, "Cannot \(action) \(path): \(String(cString: strerror(errno)))")
    }
}
