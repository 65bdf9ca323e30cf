import Foundation
import HearthCore
import HearthRegistry
import HearthRuntime
import HearthTesting
import Logging
import Testing

@testable import HearthServer

/// Meters sampled into the registry, and totals that continue after a restart.
@Suite struct MeterServiceTests {
    func service(_ registry: Registry, _ collections: OpenCollections, _ book: MeterBook) -> MeterService {
        MeterService(
            registry: registry, meters: book, launcher: ProcessLauncher(), collections: collections, interval: .seconds(60),
            logger: Logger(label: "test"))
    }

    @Test func samplesReadyInstancesAndContinuesTotalsAfterARestart() async throws {
        try await withTemporaryDirectory { root in
            let layout = DataLayout(root: root)
            let registry = try Registry(layout: layout)
            let (ready, key) = try await registry.createInstance(appName: "Notes", preferredSlug: "notes", source: "/s", version: "1")
            try await registry.setInstanceState(ready.id, .ready)
            let (installing, _) = try await registry.createInstance(appName: "Other", preferredSlug: "other", source: "/s", version: "1")

            let book = MeterBook()
            let meter = book.meter(ready.id)
            for _ in 0..<3 { meter.countRequest() }
            meter.countBytesOut(1234)
            meter.countWake()
            let collections = OpenCollections(layout: layout, registry: registry)
            _ = try await collections.base(ready.collection).put(base: "b", values: [["key": .string("k")]])
            #expect(key.projectID == ready.id)

            await service(registry, collections, book).record()
            let first = try #require(try await registry.latestMeters()[ready.id])
            #expect(first.requests == 3 && first.wakes == 1 && first.bytesOut == 1234 && first.bytesIn == 0)
            #expect(first.baseBytes > 0 && first.driveBytes == 0)
            #expect(!first.sandboxed)
            #expect(try await registry.latestMeters()[installing.id] == nil)

            // A new node: its book starts from the stored totals, storage included, though it
            // has not opened the collection yet.
            let restarted = MeterBook()
            let again = service(registry, OpenCollections(layout: layout, registry: registry), restarted)
            await again.carryTotals()
            restarted.meter(ready.id).countRequest()
            await again.record()
            let history = try await registry.meterHistory(instance: ready.id, limit: 10)
            #expect(history.map(\.requests) == [3, 4])
            #expect(history.last?.bytesOut == 1234)
            #expect(history.last?.baseBytes == first.baseBytes)
        }
    }
}
