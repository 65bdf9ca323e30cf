import Foundation
import HearthCore
import HearthRegistry
import Synchronization

/// The live counters of one instance: requests on its host, bytes of their bodies, wakes of
/// its micros, its processes' CPU time and limit hits, and its last error. Counting is a few
/// atomic adds, cheap enough for every request and every response chunk.
public final class InstanceMeter: Sendable {
    public let instance: String
    private let requests = Atomic<Int64>(0)
    private let wakes = Atomic<Int64>(0)
    private let bytesIn = Atomic<Int64>(0)
    private let bytesOut = Atomic<Int64>(0)
    /// Milliseconds since 1970 of the last request and the last successful start.
    private let lastRequestMillis = Atomic<Int64>(0)
    private let lastWakeMillis = Atomic<Int64>(0)
    private let state = Mutex(State())

    private struct State {
        var usage = UsageTotals()
        var storage = StorageUsage(databaseBytes: 0, outsideBytes: 0)
        var lastError: MeterEvent?
    }

    init(instance: String) {
        self.instance = instance
    }

    /// A request arrived on the instance's host.
    public func countRequest() {
        requests.add(1, ordering: .relaxed)
        lastRequestMillis.store(Self.nowMillis(), ordering: .relaxed)
    }
    /// Bytes of a request body were read.
    public func countBytesIn(_ count: Int) { bytesIn.add(Int64(count), ordering: .relaxed) }
    /// Bytes of a response body were written.
    public func countBytesOut(_ count: Int) { bytesOut.add(Int64(count), ordering: .relaxed) }
    /// A micro started and became ready to serve.
    public func countWake() {
        wakes.add(1, ordering: .relaxed)
        lastWakeMillis.store(Self.nowMillis(), ordering: .relaxed)
    }

    /// When a request last arrived on the instance's host, since this node started.
    public var lastRequest: Date? { Self.date(lastRequestMillis.load(ordering: .relaxed)) }
    /// When a micro of the instance last started and became ready, since this node started.
    public var lastWake: Date? { Self.date(lastWakeMillis.load(ordering: .relaxed)) }

    private static func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
    private static func date(_ millis: Int64) -> Date? {
        millis == 0 ? nil : Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    /// Remembers what went wrong last (a failed start, a crash), for `hearth app stats`.
    public func noteError(_ message: String, at time: Date = Date()) {
        state.withLock { $0.lastError = MeterEvent(at: time, message: message) }
    }

    public var lastError: MeterEvent? { state.withLock { $0.lastError } }

    /// Adds the totals of a sample stored before this node started, so totals continue.
    public func carry(_ sample: MeterSample) {
        requests.add(sample.requests, ordering: .relaxed)
        wakes.add(sample.wakes, ordering: .relaxed)
        bytesIn.add(sample.bytesIn, ordering: .relaxed)
        bytesOut.add(sample.bytesOut, ordering: .relaxed)
        state.withLock { state in
            state.usage.cpuSeconds += sample.cpuSeconds
            state.usage.oomKills += sample.oomKills
            state.usage.processLimitHits += sample.processLimitHits
            state.storage = StorageUsage(databaseBytes: sample.baseBytes, outsideBytes: sample.driveBytes)
        }
    }

    /// Fills `sample`'s counters, folding in `usage`, the launcher's reading of the instance's
    /// processes now (`nil` when it has none or cannot tell), and `storage` when it was
    /// measured (else the last measure stands).
    func fill(_ sample: inout MeterSample, usage: ResourceUsage?, storage: StorageUsage? = nil) {
        sample.requests = requests.load(ordering: .relaxed)
        sample.wakes = wakes.load(ordering: .relaxed)
        sample.bytesIn = bytesIn.load(ordering: .relaxed)
        sample.bytesOut = bytesOut.load(ordering: .relaxed)
        let (totals, stored) = state.withLock { state in
            state.usage.observe(usage)
            if let storage { state.storage = storage }
            return (state.usage, state.storage)
        }
        sample.baseBytes = stored.databaseBytes
        sample.driveBytes = stored.outsideBytes
        sample.cpuSeconds = totals.cpuSeconds
        sample.oomKills = totals.oomKills
        sample.processLimitHits = totals.processLimitHits
        sample.memoryBytes = usage?.memoryBytes ?? 0
        sample.memoryPeakBytes = usage?.memoryPeakBytes ?? 0
        sample.processes = usage?.processes ?? 0
    }
}

/// Something that happened to an instance, with when.
public struct MeterEvent: Sendable, Equatable, Codable {
    public var at: Date
    public var message: String
}

/// Totals of the launcher's counters, which count from the moment an instance's sandbox was
/// made: a reading below the one before (or the first after none) is a new sandbox, whose
/// counts all add.
struct UsageTotals: Sendable, Equatable {
    var cpuSeconds = 0.0
    var oomKills: Int64 = 0
    var processLimitHits: Int64 = 0
    private var last: ResourceUsage?

    mutating func observe(_ reading: ResourceUsage?) {
        defer { last = reading }
        guard let reading else { return }
        let before = last ?? ResourceUsage()
        func growth<T: Numeric & Comparable>(_ now: T, _ then: T) -> T { now >= then ? now - then : now }
        cpuSeconds += growth(reading.cpuSeconds, before.cpuSeconds)
        oomKills += Int64(growth(reading.oomKills, before.oomKills))
        processLimitHits += Int64(growth(reading.processLimitHits, before.processLimitHits))
    }
}
