import ArgumentParser
import Foundation
import HearthCore
import HearthRegistry
import HearthRuntime

struct AppStats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show what instances use: CPU, memory, requests, wakes, bytes, storage.",
        discussion: """
            Counters (requests, wakes, bytes, CPU seconds) are totals since the instance was \
            installed. While the node runs they are live; otherwise they come from the node's \
            last sample (it samples every minute, see `hearth serve --meter-interval`). CPU, \
            memory and processes are measured only for sandboxed instances. --history N adds \
            the instance's last N samples. With --json, NAME gives one object, else a list.
            """)

    @OptionGroup var options: DataOptions
    @Argument(help: "The instance's name or id (default: every instance).")
    var instance: String?
    @Option(help: ArgumentHelp("Also show the last N stored samples.", valueName: "n"))
    var history = 0
    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        guard history >= 0 else { throw ValidationError("--history must be 0 or more.") }
    }

    func run() async throws {
        let registry = try await failing { try options.openRegistry() }
        let instances = try await failing {
            if let instance { return [try await registry.instance(instance)] }
            return try await registry.instances()
        }
        let node = NodeControl(layout: options.layout)
        let stored = node == nil ? try await failing { try await registry.latestMeters() } : [:]
        var all: [InstanceStats] = []
        for info in instances {
            var stats = try await failing { () async throws -> InstanceStats in
                if let node { return try await node.stats(info.id) }
                let limits = try await registry.effectiveLimits(instance: info.id)
                return InstanceStats(instance: info, meters: stored[info.id], limits: limits, live: false)
            }
            if history > 0 { stats.history = try await failing { try await registry.meterHistory(instance: info.id, limit: history) } }
            all.append(stats)
        }
        if json { return instance == nil ? try printJSON(all) : try printJSON(all[0]) }
        guard !all.isEmpty else { return print("No apps installed yet. Install one with `hearth app install DIR`.") }
        if instance != nil { print(StatsText.details(all[0])) } else { print(StatsText.table(all)) }
        for stats in all where !(stats.history ?? []).isEmpty {
            print("\nSamples of '\(stats.slug)':\n" + StatsText.history(stats.history ?? []).description)
        }
        if node == nil {
            print("\nThe node is not running: these are its last samples. Start it with `hearth serve` for live numbers.")
        }
    }
}

/// The text forms of `hearth app stats`.
enum StatsText {
    static func details(_ stats: InstanceStats) -> String {
        let meters = stats.meters ?? MeterSample(instance: stats.id, at: Date(), sandboxed: false)
        let limits = stats.limits
        var lines = ["\(stats.slug) (\(stats.appName)): \(stats.isolation)" + (stats.live ? "" : sampled(stats.meters))]
        func add(_ name: String, _ value: String) { lines.append("  " + name.padding(toLength: 20, withPad: " ", startingAt: 0) + value) }
        if stats.live { add("running", stats.running.isEmpty ? "asleep" : stats.running.joined(separator: ", ")) }
        add("cpu", measured(stats, String(format: "%.2f s", meters.cpuSeconds) + " (limit \(limits.cpuCores) cores)"))
        add(
            "memory",
            measured(
                stats,
                "\(ByteSize.describe(meters.memoryBytes)) now, \(ByteSize.describe(meters.memoryPeakBytes)) peak, "
                    + "of \(ByteSize.describe(limits.memoryBytes))"))
        add("processes", measured(stats, "\(meters.processes) of \(limits.processes)"))
        add("requests", "\(meters.requests)")
        add("wakes", "\(meters.wakes)")
        add("bytes in / out", "\(ByteSize.describe(meters.bytesIn)) / \(ByteSize.describe(meters.bytesOut))")
        add("storage", storage(meters, limits))
        add("oom kills", "\(meters.oomKills)")
        add("process limit hits", "\(meters.processLimitHits)")
        if let error = stats.lastError { add("last error", "\(date(error.at)): \(error.message)") }
        if stats.meters?.sandboxed != true { lines.append("CPU, memory and processes are measured for sandboxed instances only.") }
        return lines.joined(separator: "\n")
    }

    static func table(_ all: [InstanceStats]) -> Table {
        Table(
            ["NAME", "ISOLATION", "CPU", "MEMORY", "REQUESTS", "WAKES", "IN", "OUT", "STORAGE", "OOM", "PROC HITS"],
            all.map { stats in
                let meters = stats.meters ?? MeterSample(instance: stats.id, at: Date(), sandboxed: false)
                return [
                    stats.slug, stats.isolation, measured(stats, String(format: "%.1f s", meters.cpuSeconds)),
                    measured(stats, "\(ByteSize.describe(meters.memoryBytes)) / \(ByteSize.describe(stats.limits.memoryBytes))"),
                    "\(meters.requests)", "\(meters.wakes)", ByteSize.describe(meters.bytesIn), ByteSize.describe(meters.bytesOut),
                    "\(ByteSize.describe(meters.baseBytes + meters.driveBytes)) / \(ByteSize.describe(stats.limits.storageBytes))",
                    "\(meters.oomKills)", "\(meters.processLimitHits)",
                ]
            })
    }

    static func history(_ samples: [MeterSample]) -> Table {
        Table(
            ["TIME", "REQUESTS", "WAKES", "IN", "OUT", "CPU", "MEMORY", "PEAK", "BASE", "DRIVE"],
            samples.map { sample in
                [
                    date(sample.at), "\(sample.requests)", "\(sample.wakes)", ByteSize.describe(sample.bytesIn),
                    ByteSize.describe(sample.bytesOut), String(format: "%.2f s", sample.cpuSeconds), ByteSize.describe(sample.memoryBytes),
                    ByteSize.describe(sample.memoryPeakBytes), ByteSize.describe(sample.baseBytes), ByteSize.describe(sample.driveBytes),
                ]
            })
    }

    /// CPU, memory and processes are counted by a sandbox's control groups only.
    private static func measured(_ stats: InstanceStats, _ value: String) -> String {
        stats.meters?.sandboxed == true ? value : "-"
    }

    private static func storage(_ meters: MeterSample, _ limits: InstanceLimits) -> String {
        "\(ByteSize.describe(meters.baseBytes)) Base + \(ByteSize.describe(meters.driveBytes)) Drive of \(ByteSize.describe(limits.storageBytes))"
    }

    private static func sampled(_ meters: MeterSample?) -> String {
        meters.map { ", as sampled at \(date($0.at))" } ?? ", never sampled"
    }

    private static func date(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
