import HearthCore
import Testing

@Suite struct InstanceLimitsTests {
    @Test(
        "Sizes take K, M, G, T (and KiB…) as powers of 1024, KB… as powers of 1000",
        arguments: [
            ("4096", 4096), ("0", 0), ("12B", 12), ("1K", 1024), ("256M", 256 << 20), ("256m", 256 << 20), ("1G", 1 << 30),
            ("5g", 5 << 30), ("2T", 2 << 40), ("1.5G", 3 << 29), ("0.5M", 512 << 10), ("20GiB", 20 << 30), ("3 MiB", 3 << 20),
            ("500MB", 500_000_000), ("1kb", 1000), (" 7M ", 7 << 20), ("9223372036854775807", Int64.max),
        ] as [(String, Int64)])
    func parsesSizes(text: String, bytes: Int64) {
        #expect(ByteSize.parse(text) == bytes)
    }

    @Test(
        "Anything else is not a size",
        arguments: ["", "M", "-1M", "12X", "1.2.3G", ".", "1e3", "G5", "10 GB extra", "9999999999T", "9223372036854775808", "٣M"])
    func refusesNonSizes(text: String) {
        #expect(ByteSize.parse(text) == nil)
    }

    @Test func formatsSizesInPowersOf1024() {
        #expect(ByteSize.describe(300) == "300 B")
        #expect(ByteSize.describe(16 << 20) == "16 MiB")
        #expect(ByteSize.describe(3 << 29) == "1.5 GiB")
        #expect(ByteSize.describe(10 << 30) == "10 GiB")
        #expect(ByteSize.describe(1536) == "1.5 KiB")
    }

    @Test func overridesReplaceOnlyTheValuesTheySet() {
        var overrides = InstanceLimitOverrides()
        #expect(overrides.isEmpty)
        #expect(InstanceLimits().applying(overrides) == InstanceLimits())
        overrides.memoryBytes = 256 << 20
        overrides.outbound = false
        let limits = InstanceLimits().applying(overrides)
        #expect(limits.memoryBytes == 256 << 20)
        #expect(limits.outbound == false)
        #expect(limits.processes == InstanceLimits().processes)
        #expect(limits.storageBytes == InstanceLimits().storageBytes)

        var newer = InstanceLimitOverrides()
        newer.processes = 64
        newer.memoryBytes = 128 << 20
        let merged = overrides.merging(newer)
        #expect(merged.memoryBytes == 128 << 20)
        #expect(merged.processes == 64)
        #expect(merged.outbound == false)
        #expect(merged.cpuCores == nil)
    }

    @Test func theDefaultsAreValid() throws {
        try InstanceLimits().validate()
        try InstanceLimitOverrides().validate()
    }

    @Test func valuesBelowTheirMinimumAreRefusedWithAMessageNamingThem() {
        let cases: [(String, (inout InstanceLimitOverrides) -> Void)] = [
            ("Memory must be at least 16 MiB", { $0.memoryBytes = (16 << 20) - 1 }),
            ("tmp quota must be at least 1 MiB", { $0.tmpBytes = 1000 }),
            ("storage quota must be at least 1 MiB", { $0.storageBytes = 0 }),
            ("Processes must be at least 8", { $0.processes = 7 }),
        ]
        for (message, change) in cases {
            var overrides = InstanceLimitOverrides()
            change(&overrides)
            #expect {
                try overrides.validate()
            } throws: { error in
                (error as? CoreError)?.code == CoreError.badLimit && (error as? CoreError)?.message.contains(message) == true
            }
        }
    }

    @Test func refusesOutOfRangeCountsAndCPU() {
        for change: (inout InstanceLimitOverrides) -> Void in [
            { $0.processes = 7 }, { $0.processes = -1 }, { $0.cpuWeight = 0 }, { $0.cpuWeight = 10_001 },
            { $0.cpuCores = 0 }, { $0.cpuCores = .nan }, { $0.cpuCores = .infinity },
        ] {
            var overrides = InstanceLimitOverrides()
            change(&overrides)
            #expect(throws: CoreError.self) { try overrides.validate() }
        }
        var smallest = InstanceLimitOverrides()
        smallest.memoryBytes = 16 << 20
        smallest.processes = 8
        smallest.cpuCores = 0.01
        smallest.cpuWeight = 1
        smallest.tmpBytes = 1 << 20
        smallest.storageBytes = 1 << 20
        #expect(throws: Never.self) { try smallest.validate() }
    }
}
