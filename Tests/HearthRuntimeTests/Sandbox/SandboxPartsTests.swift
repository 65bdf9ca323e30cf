import Foundation
import HearthCore
import Testing

@testable import HearthRuntime

@Suite("Sandbox parts")
struct SandboxPartsTests {
    @Test("A log flood is paced to the budget's rate after its burst")
    func outputBudget() {
        let start = ContinuousClock.now
        var budget = OutputBudget(rate: 1000, burst: 4000, now: start)
        #expect(budget.spend(4000, now: start) == nil)
        #expect(budget.spend(500, now: start) == .milliseconds(500))
        // Half a second later the debt is paid; a second more refills 1000 bytes.
        #expect(budget.spend(1000, now: start + .milliseconds(1500)) == nil)
    }

    @Test("Instance users are stable and never shared by two rooms")
    func userIDs() {
        let first = InstanceRoom.userID(for: "abc123", taken: [])
        #expect(first == InstanceRoom.userID(for: "abc123", taken: []))
        #expect((110_000..<1_110_000).contains(first))
        #expect(InstanceRoom.userID(for: "abc123", taken: [first]) == first + 1)
        #expect(InstanceRoom.userID(for: "other", taken: []) != first)
    }

    @Test("Runtime paths: outermost directories only, nothing the sandbox already has")
    func runtimePaths() throws {
        #expect(RuntimePaths.outermost(["/opt/a/lib", "/opt/a", "/opt/b", "/opt/b"]) == ["/opt/a", "/opt/b"])
        let paths = RuntimePaths.needed(
            buildEnvironment: ["PATH": "/usr/bin:/srv/i/build/web/venv/bin", "PYTHONPATH": "/srv/i/app"], instanceDirectory: "/srv/i")
        #expect(paths.isEmpty)
    }

    @Test("Control group ids keep to letters, digits, - and _")
    func safeNames() {
        #expect(ControlGroupTree.safeName("ab-c_1") == "ab-c_1")
        #expect(ControlGroupTree.safeName("../x y") == "___x_y")
    }

    @Test("Sizes read as people write them")
    func sizes() {
        #expect(ByteSize.describe(512 * 1024 * 1024) == "512 MiB")
        #expect(ByteSize.describe(1536 * 1024 * 1024) == "1.5 GiB")
        #expect(ByteSize.describe(800) == "800 B")
    }
}
