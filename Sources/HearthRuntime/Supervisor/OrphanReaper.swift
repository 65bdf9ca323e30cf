import Foundation

/// Micros run in their own process groups, so they outlive a node that is killed without a
/// chance to stop them. Each running micro has a pid file; a starting node stops the groups
/// those files name, after checking (through the `HEARTH_MICRO` variable every micro carries)
/// that the pid still belongs to that micro and not to some later process.
enum OrphanReaper {
    static let marker = "HEARTH_MICRO"

    /// The pid file of a micro: `<instance>/run/<micro>.pid`.
    static func pidFile(_ spec: MicroSpec) -> URL {
        spec.instanceDirectory.appendingPathComponent("run/\(spec.micro).pid")
    }

    static func record(_ pid: Int32, for spec: MicroSpec) {
        let file = pidFile(spec)
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data("\(pid)\n".utf8).write(to: file)
    }

    static func forget(_ spec: MicroSpec) {
        try? FileManager.default.removeItem(at: pidFile(spec))
    }

    /// Kills the leftover micros of every instance under `instancesRoot` (`spaces/*/instances`);
    /// returns how many it found.
    @discardableResult
    static func reap(dataRoot: URL) -> Int {
        let manager = FileManager.default
        var reaped = 0
        let spaces = dataRoot.appendingPathComponent("spaces")
        for space in (try? manager.contentsOfDirectory(atPath: spaces.path)) ?? [] {
            let instances = spaces.appendingPathComponent("\(space)/instances")
            for instance in (try? manager.contentsOfDirectory(atPath: instances.path)) ?? [] {
                let run = instances.appendingPathComponent("\(instance)/run")
                for file in (try? manager.contentsOfDirectory(atPath: run.path)) ?? [] where file.hasSuffix(".pid") {
                    let path = run.appendingPathComponent(file)
                    let micro = String(file.dropLast(4))
                    if let text = try? String(contentsOf: path, encoding: .utf8),
                        let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                        belongs(pid, to: "\(instance)/\(micro)")
                    {
                        kill(-pid, SIGKILL)
                        reaped += 1
                    }
                    try? manager.removeItem(at: path)
                }
            }
        }
        return reaped
    }

    /// Whether process `pid` is the micro `key` (its environment holds `HEARTH_MICRO=key`).
    static func belongs(_ pid: Int32, to key: String) -> Bool {
        guard pid > 1, let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
        let wanted = Array("\(marker)=\(key)".utf8)
        return environment.split(separator: 0).contains { Array($0) == wanted }
    }
}
