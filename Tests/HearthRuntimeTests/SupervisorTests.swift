import Foundation
import HearthTesting
import Synchronization
import Testing

@testable import HearthRuntime

/// The supervisor with real processes: a Python HTTP server as the micro.
@Suite("Supervisor")
struct SupervisorTests {
    static func spec(_ directory: URL, _ script: String, name: String = "web") -> MicroSpec {
        MicroSpec(
            instanceID: "inst", micro: name, arguments: ["/bin/sh", "-c", script],
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin"], workingDirectory: directory, instanceDirectory: directory,
            log: directory.appendingPathComponent("logs/\(name).log"))
    }

    static let server = "exec python3 -m http.server \"$PORT\" --bind 127.0.0.1"

    static func settings(idle: Duration = .seconds(60), start: Duration = .seconds(10)) -> SupervisorSettings {
        var settings = SupervisorSettings()
        settings.idleTimeout = idle
        settings.startTimeout = start
        settings.stopGrace = .seconds(2)
        return settings
    }

    @Test("The first request starts the micro; it listens on the port it was given")
    func startsOnDemand() async throws {
        try await withTemporaryDirectory { directory in
            let supervisor = Supervisor(settings: Self.settings())
            let spec = Self.spec(directory, Self.server)
            #expect(await supervisor.runningMicros(instance: "inst").isEmpty)
            let lease = try await supervisor.acquire(spec)
            #expect(HostNetwork.shared.isListening(port: lease.port))
            #expect(await supervisor.runningMicros(instance: "inst") == ["web"])
            #expect(supervisor.recentLog(spec).contains { $0.contains("[hearth] ready in") })
            await lease.release()
            await supervisor.stopAll()
            #expect(!HostNetwork.shared.isListening(port: lease.port))
        }
    }

    @Test("Observers learn the endpoint of a micro that ended")
    func endObserver() async throws {
        try await withTemporaryDirectory { directory in
            let supervisor = Supervisor(settings: Self.settings())
            let ended = Ports()
            supervisor.onMicroEnded { endpoint in ended.list.withLock { $0.append(endpoint.port) } }
            let lease = try await supervisor.acquire(Self.spec(directory, Self.server))
            await lease.release()
            #expect(ended.ports.isEmpty)
            await supervisor.stopAll()
            for _ in 0..<200 where ended.ports.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            #expect(ended.ports == [lease.port])
        }
    }

    @Test("An idle micro is stopped, and the next request starts it again")
    func idleStopAndWake() async throws {
        try await withTemporaryDirectory { directory in
            let supervisor = Supervisor(settings: Self.settings(idle: .milliseconds(200)))
            let spec = Self.spec(directory, Self.server)
            let first = try await supervisor.acquire(spec)
            await first.release()
            try await Task.sleep(for: .milliseconds(300))
            let runner = try #require(supervisor.runnerForTesting(spec))
            #expect(await runner.stopIfIdle())
            #expect(!HostNetwork.shared.isListening(port: first.port))
            let second = try await supervisor.acquire(spec)
            #expect(HostNetwork.shared.isListening(port: second.port))
            #expect(await !runner.stopIfIdle(), "a leased micro is never idle")
            await second.release()
            await supervisor.stopAll()
        }
    }

    @Test("A crashed micro is restarted after a backoff")
    func restartsAfterCrash() async throws {
        try await withTemporaryDirectory { directory in
            let supervisor = Supervisor(settings: Self.settings())
            let spec = Self.spec(directory, "echo $$ > pid; " + Self.server)
            let first = try await supervisor.acquire(spec)
            await first.release()
            let pid = try #require(Int32(String(contentsOf: directory.appendingPathComponent("pid"), encoding: .utf8).trimmed))
            kill(pid, SIGKILL)
            let deadline = ContinuousClock.now + .seconds(10)
            var restarted: Int?
            while restarted == nil, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                let lease = try await supervisor.acquire(spec)
                if lease.port != first.port { restarted = lease.port }
                await lease.release()
            }
            let port = try #require(restarted)
            #expect(HostNetwork.shared.isListening(port: port))
            #expect(supervisor.recentLog(spec).contains { $0.contains("was killed by signal 9; restarting in") })
            await supervisor.stopAll()
        }
    }

    @Test("A starting micro's port is probed every millisecond for a second, then every 10 ms")
    func probeSchedule() {
        #expect(MicroRunner.probePause(after: .zero) == .milliseconds(1))
        #expect(MicroRunner.probePause(after: .milliseconds(999)) == .milliseconds(1))
        #expect(MicroRunner.probePause(after: .seconds(1)) == .milliseconds(10))
        #expect(MicroRunner.probePause(after: .seconds(25)) == .milliseconds(10))
    }

    @Test("A micro that exits at start fails with its reason and log, and is not retried at once")
    func failedStart() async throws {
        try await withTemporaryDirectory { directory in
            let supervisor = Supervisor(settings: Self.settings())
            let spec = Self.spec(directory, "echo 'cannot find config.yml' >&2; exit 2")
            let error = await #expect(throws: RuntimeError.self) { try await supervisor.acquire(spec) }
            #expect(error?.code == RuntimeError.startFailed)
            #expect(error?.message.contains("exited before listening") == true)
            #expect(supervisor.recentLog(spec).contains { $0.hasSuffix("cannot find config.yml") })
            let starts = supervisor.recentLog(spec, lines: 40).filter { $0.contains("[hearth] starting pid") }.count
            await #expect(throws: RuntimeError.self) { try await supervisor.acquire(spec) }
            #expect(supervisor.recentLog(spec, lines: 40).filter { $0.contains("[hearth] starting pid") }.count == starts)
        }
    }

    @Test("A micro that never listens on $PORT fails after the start timeout and is stopped")
    func neverListens() async throws {
        try await withTemporaryDirectory { directory in
            let supervisor = Supervisor(settings: Self.settings(start: .milliseconds(500)))
            let spec = Self.spec(directory, "echo $$ > pid; exec sleep 60")
            let error = await #expect(throws: RuntimeError.self) { try await supervisor.acquire(spec) }
            #expect(error?.message.contains("did not listen on $PORT") == true)
            let pid = try #require(Int32(String(contentsOf: directory.appendingPathComponent("pid"), encoding: .utf8).trimmed))
            #expect(kill(pid, 0) != 0, "the stuck process was stopped")
        }
    }
}

@Suite("Micro logs")
struct MicroLogTests {
    @Test("Lines are stamped, partial lines wait for their end, and the file rotates")
    func stampsAndRotates() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("web.log")
            let log = MicroLog(file: file, maxBytes: 200, generations: 3)
            log.append(output: Array("first\nsec".utf8))
            log.append(output: Array("ond\n".utf8))
            #expect(log.recentLines().map { $0.split(separator: " ", maxSplits: 1)[1] } == ["first", "second"])
            #expect(log.recentLines().allSatisfy { $0.first == "2" && $0.contains("Z ") })
            for index in 0..<20 { log.note("line \(index) of a longer message") }
            log.close()
            #expect(FileManager.default.fileExists(atPath: file.path + ".1"))
            #expect(FileManager.default.fileExists(atPath: file.path + ".2"))
            #expect(!FileManager.default.fileExists(atPath: file.path + ".3"))
            let newest = try String(contentsOf: file, encoding: .utf8)
            #expect(newest.contains("[hearth] line 19 of a longer message"))
            #expect(newest.utf8.count <= 200)
        }
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// Ports reported by an observer thread.
private final class Ports: Sendable {
    let list = Mutex<[Int]>([])
    var ports: [Int] { list.withLock { $0 } }
}
