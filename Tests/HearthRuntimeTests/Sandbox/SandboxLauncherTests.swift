import Foundation
import HearthCore
import HearthTesting
import Testing

@testable import HearthRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// The sandbox with real namespaces, control groups and processes (needs root and bubblewrap,
/// which the test command installs).
@Suite("Sandbox launcher", .serialized)
struct SandboxLauncherTests {
    static func launcher() throws -> SandboxLauncher {
        var limits = InstanceLimits()
        limits.tmpBytes = 16 * 1024 * 1024
        let fixed = limits
        let outcome = SandboxSetup.make(mode: .required, node: "test-\(getpid())", limits: { _ in fixed })
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        return try #require(outcome.launcher as? SandboxLauncher)
    }

    static func spec(_ directory: URL, id: String) throws -> MicroSpec {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("app"), withIntermediateDirectories: true)
        return MicroSpec(
            instanceID: id, micro: "web", arguments: ["/bin/sh", "-c", "true"],
            environment: [
                "PATH": "/usr/bin:/bin", "HEARTH_API_URL": "http://127.0.0.1:4999", "DETA_SPACE_APP_HOSTNAME": "probe.localhost:4999",
            ],
            workingDirectory: directory.appendingPathComponent("app"), instanceDirectory: directory,
            log: directory.appendingPathComponent("logs/web.log"))
    }

    /// Runs `script` in the instance's sandbox and returns what it printed.
    static func run(_ script: String, launcher: SandboxLauncher, spec: MicroSpec) async throws -> String {
        _ = try await launcher.network(for: spec)
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        let request = LaunchRequest(
            arguments: ["/bin/sh", "-c", script], environment: spec.environment, workingDirectory: spec.workingDirectory,
            instanceDirectory: spec.instanceDirectory, output: fds[1], instanceID: spec.instanceID, micro: spec.micro)
        let pid = try launcher.launch(request).pid
        close(fds[1])
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fds[0], &buffer, buffer.count)
            if count <= 0 { break }
            output.append(contentsOf: buffer[..<count])
        }
        close(fds[0])
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return String(decoding: output, as: UTF8.self)
    }

    @Test("A micro runs as the instance's own user, without privileges, seeing only its sandbox")
    func confined() async throws {
        try await withTemporaryDirectory { directory in
            let launcher = try Self.launcher()
            let spec = try Self.spec(directory, id: "sbx1")
            let output = try await Self.run(
                "id -u; grep NoNewPrivs /proc/self/status; ls /; hostname; touch /x 2>/dev/null || echo root-read-only; "
                    + "touch /tmp/y && echo tmp-writable; ls /proc | grep -c '^[0-9]'; cat /etc/hosts",
                launcher: launcher, spec: spec)
            let lines = output.split(separator: "\n").map(String.init)
            let uid = try #require(lines.first.flatMap { UInt32($0) })
            #expect(uid >= 110_000)
            #expect(lines.contains("NoNewPrivs:\t1"))
            #expect(lines.contains("probe"))
            #expect(lines.contains("root-read-only"))
            #expect(lines.contains("tmp-writable"))
            #expect(!lines.contains("root") && !lines.contains("home") && !lines.contains("var"))
            #expect(output.contains("probe.localhost"))
            let processes = lines.compactMap { Int($0) }.filter { $0 < 100 }
            #expect(processes.first.map { $0 <= 5 } == true, "only the sandbox's own processes: \(output)")
            await launcher.close()
        }
    }

    @Test("Micros of one instance share a network; another instance's is separate")
    func networks() async throws {
        try await withTemporaryDirectory { directory in
            let launcher = try Self.launcher()
            let first = try Self.spec(directory.appendingPathComponent("a"), id: "sbx2a")
            let second = try Self.spec(directory.appendingPathComponent("b"), id: "sbx2b")
            let network = try await launcher.network(for: first)
            #expect(try await launcher.network(for: first) === network)
            #expect(try await launcher.network(for: second) !== network)
            let listener = try (network as! NetworkNamespace).listen(port: 0)
            defer { close(listener) }
            var address = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
            }
            let port = Int(UInt16(bigEndian: address.sin_port))
            #expect(network.isListening(port: port))
            #expect(!(try await launcher.network(for: second)).isListening(port: port))
            #expect(!HostNetwork.shared.isListening(port: port))
            await launcher.close()
        }
    }

    @Test("tmp/ is a volume of the instance's size; writing past it fails inside")
    func tmpQuota() async throws {
        try await withTemporaryDirectory { directory in
            let launcher = try Self.launcher()
            let spec = try Self.spec(directory, id: "sbx3")
            let output = try await Self.run(
                "dd if=/dev/zero of=/tmp/big bs=1M count=64 2>&1; ls -l /tmp/big", launcher: launcher, spec: spec)
            #expect(output.contains("No space left on device"), "\(output)")
            #expect(
                TmpVolume(image: directory.appendingPathComponent("tmp.img"), mountPoint: directory.appendingPathComponent("tmp")).isMounted
            )
            await launcher.close()
            #expect(
                !TmpVolume(image: directory.appendingPathComponent("tmp.img"), mountPoint: directory.appendingPathComponent("tmp"))
                    .isMounted)
        }
    }

    @Test("A stopped micro's next start is prepared: it waits at the gate and runs with the port it is given")
    func preparedStart() async throws {
        try await withTemporaryDirectory { directory in
            let launcher = try Self.launcher()
            let spec = try Self.spec(directory, id: "sbx4")
            _ = try await launcher.network(for: spec)
            func request(port: Int, output: Int32) -> LaunchRequest {
                var environment = spec.environment
                environment["PORT"] = String(port)
                return LaunchRequest(
                    arguments: ["/bin/sh", "-c", "echo port=$PORT; exec sleep 30"], environment: environment,
                    workingDirectory: spec.workingDirectory, instanceDirectory: spec.instanceDirectory, output: output,
                    instanceID: spec.instanceID, micro: spec.micro)
            }
            let null = open("/dev/null", O_WRONLY)
            defer { close(null) }
            let first = request(port: 1111, output: null)
            let cold = try launcher.launch(first)
            #expect(cold.output == nil)
            launcher.signal(SIGKILL, pid: cold.pid, of: first)
            var status: Int32 = 0
            waitpid(cold.pid, &status, 0)
            for _ in 0..<200 where launcher.standbys.withLock({ $0.prepared.isEmpty }) { try await Task.sleep(for: .milliseconds(10)) }
            #expect(launcher.standbys.withLock { $0.prepared.count } == 1)

            let warm = try launcher.launch(request(port: 2222, output: null))
            let output = try #require(warm.output)
            var text = ""
            var buffer = [UInt8](repeating: 0, count: 256)
            while !text.contains("\n") {
                let count = read(output, &buffer, buffer.count)
                if count <= 0 { break }
                text += String(decoding: buffer[..<count], as: UTF8.self)
            }
            #expect(text == "port=2222\n")
            close(output)
            await launcher.close()
            waitpid(warm.pid, &status, 0)
        }
    }
}
