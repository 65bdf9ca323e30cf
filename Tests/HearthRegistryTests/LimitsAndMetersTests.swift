import Foundation
import GRDB
import HearthBase
import HearthCore
import HearthDrive
import HearthRegistry
import HearthTesting
import Testing

/// Instance limits and meters in the registry (migration `v3-limits-meters`).
@Suite struct LimitsAndMetersTests {
    func withInstance(_ body: (Registry, InstanceInfo, URL) async throws -> Void) async throws {
        try await withTemporaryDirectory { root in
            let registry = try Registry(layout: DataLayout(root: root))
            let (instance, _) = try await registry.createInstance(appName: "Notes", preferredSlug: "notes", source: "/src", version: "1")
            try await body(registry, instance, root)
        }
    }

    @Test func theMigrationAddsItsTables() async throws {
        try await withInstance { _, _, root in
            let database = try DatabaseQueue(path: root.appendingPathComponent("node.sqlite").path)
            let tables = try await database.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            }
            #expect(Set(["node_settings", "instance_limits", "instance_meters"]).isSubset(of: tables))
            let migrations = try await database.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
            #expect(migrations.contains("v3-limits-meters"))
        }
    }

    @Test func effectiveLimitsAreTheNodeDefaultsWithTheOwnersOverrides() async throws {
        try await withInstance { registry, instance, _ in
            #expect(try await registry.effectiveLimits(instance: instance.id) == InstanceLimits())
            var defaults = InstanceLimits()
            defaults.memoryBytes = 1 << 30
            defaults.outbound = false
            try registry.storeDefaultLimits(defaults)
            #expect(try await registry.defaultLimits() == defaults)

            var set = InstanceLimitOverrides()
            set.processes = 64
            set.storageBytes = 5 << 30
            #expect(try await registry.setLimits(instance: instance.id, set) == set)
            var more = InstanceLimitOverrides()
            more.outbound = true
            let merged = try await registry.setLimits(instance: instance.id, more)
            #expect(merged.processes == 64 && merged.storageBytes == 5 << 30 && merged.outbound == true)

            let limits = try await registry.effectiveLimits(instance: instance.id)
            #expect(limits.memoryBytes == 1 << 30)  // the node's default
            #expect(limits.processes == 64)
            #expect(limits.outbound == true)
            #expect(limits.cpuCores == InstanceLimits().cpuCores)

            // Reset, then set one value: only it remains.
            var one = InstanceLimitOverrides()
            one.cpuCores = 0.5
            #expect(try await registry.setLimits(instance: instance.id, one, reset: true) == one)
            #expect(
                try await registry.effectiveLimits(instance: instance.id)
                    == {
                        var d = defaults; d.cpuCores = 0.5; return d
                    }())
            try await registry.setLimits(instance: instance.id, InstanceLimitOverrides(), reset: true)
            #expect(try await registry.limitOverrides(instance: instance.id).isEmpty)
        }
    }

    @Test func badValuesAndUnknownInstancesAreRefused() async throws {
        try await withInstance { registry, instance, _ in
            var tiny = InstanceLimitOverrides()
            tiny.memoryBytes = 1 << 20
            await #expect {
                try await registry.setLimits(instance: instance.id, tiny)
            } throws: { error in
                (error as? RegistryError)?.code == CoreError.badLimit
            }
            let unchanged = try await registry.limitOverrides(instance: instance.id)
            #expect(unchanged.isEmpty)
            await #expect {
                try await registry.setLimits(instance: "missing", InstanceLimitOverrides())
            } throws: { error in
                (error as? RegistryError)?.code == RegistryError.notFound
            }
        }
    }

    @Test func metersAreStoredReadBackAndPruned() async throws {
        try await withInstance { registry, instance, _ in
            let start = Date(timeIntervalSince1970: 1_700_000_000)
            var samples: [MeterSample] = []
            for minute in 0..<5 {
                var sample = MeterSample(instance: instance.id, at: start.addingTimeInterval(Double(minute) * 60), sandboxed: false)
                sample.requests = Int64(minute * 10)
                sample.bytesOut = Int64(minute * 1000)
                sample.cpuSeconds = Double(minute) / 2
                samples.append(sample)
            }
            try await registry.recordMeters(samples)
            // A sample of an instance that no longer exists is dropped, not an error.
            try await registry.recordMeters([MeterSample(instance: "gone", at: start, sandboxed: false)])

            #expect(try await registry.latestMeters() == [instance.id: samples[4]])
            #expect(try await registry.meterHistory(instance: instance.id, limit: 2) == Array(samples[3...]))
            #expect(try await registry.meterHistory(instance: instance.id, limit: 100) == samples)

            try await registry.recordMeters([], pruneBefore: start.addingTimeInterval(150))
            #expect(try await registry.meterHistory(instance: instance.id, limit: 100) == Array(samples[3...]))

            try await registry.removeInstance(instance.id)
            #expect(try await registry.latestMeters().isEmpty)
        }
    }

    @Test func anInstancesCollectionOpensWithItsStorageQuota() async throws {
        try await withInstance { registry, instance, root in
            var set = InstanceLimitOverrides()
            set.storageBytes = 1 << 20
            try await registry.setLimits(instance: instance.id, set)
            let collections = OpenCollections(layout: DataLayout(root: root), registry: registry)
            #expect(try await collections.usageIfOpen(instance.collection) == nil)
            let base = try collections.base(instance.collection)
            let empty = try #require(try await collections.usageIfOpen(instance.collection))
            #expect(empty.databaseBytes > 0 && empty.outsideBytes == 0)

            let text = JSONValue.string(String(repeating: "x", count: 300_000))
            await #expect {
                for index in 0..<5 { _ = try await base.put(base: "b", values: [["key": .string("k\(index)"), "text": text]]) }
            } throws: { error in
                (error as? BaseError)?.code == BaseError.noSpace
            }
            let full = try #require(try await collections.usageIfOpen(instance.collection))
            #expect(full.totalBytes <= 1 << 20 && full.totalBytes > 600_000)

            let drive = try collections.drive(instance.collection)
            await #expect {
                let writer = try await drive.newWriter()
                try writer.append(Array(repeating: 7, count: 500_000))
                _ = try await drive.commitFile(drive: "d", name: "f", contentType: nil, writer: writer)
            } throws: { error in
                (error as? DriveError)?.code == DriveError.noSpace
            }

            // Deletes go on, and free room for writes.
            try await base.delete(base: "b", key: "k0")
            _ = try await base.put(base: "b", values: [["key": "again", "text": text]])
            #expect(try await base.get(base: "b", key: "k1") != nil)
        }
    }
}
