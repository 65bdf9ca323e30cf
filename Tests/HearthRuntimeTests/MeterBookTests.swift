import Foundation
import HearthRegistry
import HearthTesting
import Testing

@testable import HearthRuntime

/// Live meters: counting, totals carried over from stored samples, and launcher readings.
@Suite("Meters")
struct MeterBookTests {
    static func counters(_ meter: InstanceMeter, usage: ResourceUsage? = nil) -> MeterSample {
        var sample = MeterSample(instance: meter.instance, at: Date(), sandboxed: false)
        meter.fill(&sample, usage: usage)
        return sample
    }

    @Test func countsPerInstanceAndCarriesStoredTotals() {
        let book = MeterBook()
        let meter = book.meter("a")
        #expect(book.meter("a") === meter)
        meter.countRequest()
        meter.countRequest()
        meter.countBytesIn(10)
        meter.countBytesOut(300)
        meter.countWake()
        book.meter("b").countRequest()

        var stored = MeterSample(instance: "a", at: Date(), sandboxed: false)
        stored.requests = 100
        stored.wakes = 5
        stored.bytesIn = 1000
        stored.bytesOut = 2000
        stored.cpuSeconds = 1.5
        stored.oomKills = 1
        book.carry([stored])

        let now = Self.counters(meter)
        #expect(now.requests == 102 && now.wakes == 6 && now.bytesIn == 1010 && now.bytesOut == 2300)
        #expect(now.cpuSeconds == 1.5 && now.oomKills == 1)
        #expect(Self.counters(book.meter("b")).requests == 1)

        book.forget("a")
        #expect(Self.counters(book.meter("a")).requests == 0)
    }

    @Test func launcherReadingsAddUpAcrossNewSandboxes() {
        var totals = UsageTotals()
        totals.observe(ResourceUsage(cpuSeconds: 2, oomKills: 1))
        totals.observe(ResourceUsage(cpuSeconds: 3, oomKills: 1, processLimitHits: 2))
        #expect(totals.cpuSeconds == 3 && totals.oomKills == 1 && totals.processLimitHits == 2)
        // A lower reading: the sandbox was made anew, and all of its counts are new.
        totals.observe(ResourceUsage(cpuSeconds: 0.5))
        #expect(totals.cpuSeconds == 3.5 && totals.oomKills == 1 && totals.processLimitHits == 2)
        // No reading (its micros stopped): the next one counts from zero.
        totals.observe(nil)
        totals.observe(ResourceUsage(cpuSeconds: 1, oomKills: 1))
        #expect(totals.cpuSeconds == 4.5 && totals.oomKills == 2)
    }

    @Test func gaugesComeFromTheLatestReading() {
        let meter = MeterBook().meter("a")
        let sample = Self.counters(meter, usage: ResourceUsage(cpuSeconds: 1, memoryBytes: 10, memoryPeakBytes: 20, processes: 3))
        #expect(sample.memoryBytes == 10 && sample.memoryPeakBytes == 20 && sample.processes == 3 && sample.cpuSeconds == 1)
        #expect(Self.counters(meter).memoryBytes == 0)
    }

    @Test("A start that becomes ready is a wake; a failed start is the instance's last error")
    func wakesAndErrors() async throws {
        try await withTemporaryDirectory { directory in
            let supervisor = Supervisor(settings: SupervisorTests.settings(start: .seconds(10)))
            let spec = SupervisorTests.spec(directory, SupervisorTests.server)
            let first = try await supervisor.acquire(spec)
            await first.release()
            let again = try await supervisor.acquire(spec)
            await again.release()
            let meter = supervisor.meters.meter("inst")
            #expect(Self.counters(meter).wakes == 1)
            await supervisor.stop(instance: "inst")
            let woken = try await supervisor.acquire(spec)
            await woken.release()
            #expect(Self.counters(meter).wakes == 2)
            #expect(meter.lastError == nil)

            let broken = SupervisorTests.spec(directory, "exit 3", name: "broken")
            await #expect(throws: RuntimeError.self) { try await supervisor.acquire(broken) }
            #expect(meter.lastError?.message.contains("broken") == true)
            #expect(Self.counters(meter).wakes == 2)
            await supervisor.stopAll()
        }
    }
}
