import ArgumentParser
import Foundation
import HearthCore
import HearthRegistry

struct AppLimits: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limits",
        abstract: "Show or set what an instance may use: memory, processes, CPU, disk, network.",
        discussion: """
            Without options, prints the instance's limits and whether each is its own or the \
            node's default (set with `hearth serve --memory-limit …`). With options, sets those \
            values; --reset first returns all of them to the node's defaults. A running node \
            restarts the instance's micros so the new limits apply. Sizes take K, M, G or T \
            (powers of 1024), e.g. --memory 256M --storage 5G.
            """)

    @OptionGroup var options: DataOptions
    @Argument(help: "The instance's name or id.")
    var instance: String

    @Option(help: ArgumentHelp("Memory its micros may use together (at least 16M).", valueName: "size"))
    var memory: ByteCount?
    @Option(help: ArgumentHelp("Processes and threads it may run (at least \(InstanceLimits.minimumProcesses)).", valueName: "n"))
    var processes: Int?
    @Option(help: ArgumentHelp("CPU it may use, in cores, e.g. 0.5.", valueName: "cores"))
    var cpu: Double?
    @Option(help: ArgumentHelp("Its share of CPU when the machine is busy, 1 to 10000 (100 is even).", valueName: "n"))
    var cpuWeight: Int?
    @Option(help: ArgumentHelp("Disk space of its tmp/ (at least 1M).", valueName: "size"))
    var tmp: ByteCount?
    @Option(help: ArgumentHelp("Disk space of its Base and Drive together (at least 1M).", valueName: "size"))
    var storage: ByteCount?
    @Option(help: ArgumentHelp("Whether its micros may connect to the internet.", valueName: "on|off"))
    var outbound: Switch?
    @Flag(help: "Return every limit to the node's default (before applying any other option).")
    var reset = false
    @Flag(help: "Print JSON instead of text.")
    var json = false

    var overrides: InstanceLimitOverrides {
        var overrides = InstanceLimitOverrides()
        overrides.memoryBytes = memory?.bytes
        overrides.processes = processes
        overrides.cpuCores = cpu
        overrides.cpuWeight = cpuWeight
        overrides.tmpBytes = tmp?.bytes
        overrides.storageBytes = storage?.bytes
        overrides.outbound = outbound?.isOn
        return overrides
    }

    func validate() throws {
        do {
            try overrides.validate()
        } catch {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        let (registry, info) = try await findInstance(instance, options)
        let changing = reset || !overrides.isEmpty
        var restarted = false
        if changing {
            if let node = NodeControl(layout: options.layout) {
                _ = try await failing { try await node.setLimits(info.id, overrides, reset: reset) }
                restarted = true
            } else {
                try await failing { try await registry.setLimits(instance: info.id, overrides, reset: reset) }
            }
        }
        let (limits, own) = try await failing {
            (try await registry.effectiveLimits(instance: info.id), try await registry.limitOverrides(instance: info.id))
        }
        if json { return try printJSON(Report(limits: limits, overrides: own)) }
        if changing {
            let when = restarted ? "its micros restart with them on the next request" : "they apply when the node starts its micros"
            print("Updated the limits of '\(info.slug)'; \(when).\n")
        }
        print(Table(["LIMIT", "VALUE", "SET BY"], Self.rows(limits, own)))
    }

    /// One row per limit: its name, value, and whether the instance sets it or the node.
    static func rows(_ limits: InstanceLimits, _ own: InstanceLimitOverrides) -> [[String]] {
        func row(_ name: String, _ value: String, _ set: Bool) -> [String] { [name, value, set ? "instance" : "node default"] }
        return [
            row("memory", ByteSize.describe(limits.memoryBytes), own.memoryBytes != nil),
            row("processes", "\(limits.processes)", own.processes != nil),
            row("cpu", "\(limits.cpuCores) cores", own.cpuCores != nil),
            row("cpu weight", "\(limits.cpuWeight)", own.cpuWeight != nil),
            row("tmp", ByteSize.describe(limits.tmpBytes), own.tmpBytes != nil),
            row("storage", ByteSize.describe(limits.storageBytes), own.storageBytes != nil),
            row("outbound", limits.outbound ? "on" : "off", own.outbound != nil),
        ]
    }

    struct Report: Encodable {
        let limits: InstanceLimits
        /// The values set for this instance; the others are the node's defaults.
        let overrides: InstanceLimitOverrides
    }
}
