import Foundation
import GRDB
import HearthCore

/// Instances' meters over time (`instance_meters`), written by the node every minute or so.
extension Registry {
    /// Stores samples and deletes every sample taken before `pruneBefore`, in one transaction.
    public func recordMeters(_ samples: [MeterSample], pruneBefore: Date? = nil) async throws(RegistryError) {
        try await write { db in
            for sample in samples {
                try db.cachedStatement(
                    sql: """
                        INSERT OR REPLACE INTO instance_meters
                            (instance, at, sandboxed, cpu_seconds, memory_bytes, memory_peak_bytes, processes, requests, wakes,
                             bytes_in, bytes_out, base_bytes, drive_bytes, oom_kills, process_limit_hits)
                        SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM instances WHERE id = ?1)
                        """
                ).execute(arguments: [
                    sample.instance, sample.at.timeIntervalSince1970, sample.sandboxed, sample.cpuSeconds, sample.memoryBytes,
                    sample.memoryPeakBytes, sample.processes, sample.requests, sample.wakes, sample.bytesIn, sample.bytesOut,
                    sample.baseBytes, sample.driveBytes, sample.oomKills, sample.processLimitHits,
                ])
            }
            if let pruneBefore {
                try db.execute(sql: "DELETE FROM instance_meters WHERE at < ?", arguments: [pruneBefore.timeIntervalSince1970])
            }
        }
    }

    /// The newest sample of each instance that has one, by instance id.
    public func latestMeters() async throws(RegistryError) -> [String: MeterSample] {
        try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT m.* FROM instance_meters m
                    JOIN (SELECT instance, max(at) AS at FROM instance_meters GROUP BY instance) newest USING (instance, at)
                    """)
            return Dictionary(rows.map(Self.meterSample).map { ($0.instance, $0) }, uniquingKeysWith: { $1 })
        }
    }

    /// The newest `limit` samples of an instance, oldest first.
    public func meterHistory(instance id: String, limit: Int) async throws(RegistryError) -> [MeterSample] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM instance_meters WHERE instance = ? ORDER BY at DESC LIMIT ?", arguments: [id, max(0, limit)]
            ).map(Self.meterSample).reversed()
        }
    }

    private static func meterSample(_ row: Row) -> MeterSample {
        var sample = MeterSample(instance: row["instance"], at: Date(timeIntervalSince1970: row["at"]), sandboxed: row["sandboxed"])
        sample.cpuSeconds = row["cpu_seconds"]
        sample.memoryBytes = row["memory_bytes"]
        sample.memoryPeakBytes = row["memory_peak_bytes"]
        sample.processes = row["processes"]
        sample.requests = row["requests"]
        sample.wakes = row["wakes"]
        sample.bytesIn = row["bytes_in"]
        sample.bytesOut = row["bytes_out"]
        sample.baseBytes = row["base_bytes"]
        sample.driveBytes = row["drive_bytes"]
        sample.oomKills = row["oom_kills"]
        sample.processLimitHits = row["process_limit_hits"]
        return sample
    }
}
