import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Prepared starts. Building a sandbox costs milliseconds a wake should not pay (joining the
/// control groups waits for a kernel grace period; bubblewrap mounts a few dozen paths), so when a
/// micro stops, its next start is prepared at once: the whole chain runs up to a gate inside the
/// finished sandbox, where a shell waits for the port. A wake then sends the port through the
/// gate and the micro's own command starts. A prepared start is used only if the request is the
/// same but for its port; otherwise it is thrown away.
extension SandboxLauncher {
    struct Standby: Sendable {
        let pid: Int32
        /// The write end of the gate pipe (descriptor 3 of the waiting shell).
        let gate: Int32
        /// The read end of its stdout and stderr.
        let output: Int32
        let fingerprint: String
    }

    /// The shell step at the gate: reads the port, sets the port variables, runs the micro.
    static func gated(_ request: LaunchRequest) -> [String] {
        let names = portVariables(of: request).joined(separator: " ")
        let script = #"read p <&3 || exit 126; exec 3<&-; for v in \#(names); do export "$v=$p"; done; exec "$@""#
        return ["/bin/sh", "-c", script, "hearth-gate"] + request.arguments
    }

    /// The variables holding the request's port (`PORT`, and `UVICORN_PORT` for Python).
    static func portVariables(of request: LaunchRequest) -> [String] {
        guard let port = request.environment["PORT"] else { return ["PORT"] }
        return request.environment.filter { $0.value == port && $0.key.allSatisfy { $0.isUppercase || $0 == "_" } }.keys.sorted()
    }

    /// Everything a start depends on but its port.
    static func fingerprint(_ request: LaunchRequest) -> String {
        let ports = Set(portVariables(of: request))
        let environment = request.environment.filter { !ports.contains($0.key) }.sorted { $0.key < $1.key }
        return ([request.workingDirectory.path] + request.arguments + request.hostPaths + environment.map { "\($0.key)=\($0.value)" })
            .joined(separator: "\u{0}")
    }

    /// The prepared start of `request`'s micro with the gate opened, if there is a usable one.
    func takeStandby(for request: LaunchRequest, in room: InstanceRoom) -> LaunchedProcess? {
        guard let standby = standbys.withLock({ $0.prepared.removeValue(forKey: Self.key(request)) }) else { return nil }
        let message = Array("\(request.environment["PORT"] ?? "")\n".utf8)
        guard standby.fingerprint == Self.fingerprint(request), waitpid(standby.pid, nil, WNOHANG) == 0,
            write(standby.gate, message, message.count) == message.count
        else {
            dispose(standby, micro: request.micro, in: room)
            return nil
        }
        Glibc.close(standby.gate)
        return LaunchedProcess(pid: standby.pid, output: standby.output)
    }

    /// Prepares the next start of a micro that is stopping, once its processes are gone (within
    /// half a second), unless it was started again meanwhile.
    func prepareStandbySoon(for request: LaunchRequest) {
        let starts = standbys.withLock { $0.starts[Self.key(request), default: 0] }
        Task.detached {
            for _ in 0..<250 {
                guard let room = self.room(request.instanceID) else { return }
                if room.group?.processes(micro: request.micro).isEmpty ?? true { break }
                try? await Task.sleep(for: .milliseconds(2))
            }
            self.prepareStandby(for: request, startsBefore: starts)
        }
    }

    private func prepareStandby(for request: LaunchRequest, startsBefore: Int) {
        let key = Self.key(request)
        guard let room = room(request.instanceID), room.group?.processes(micro: request.micro).isEmpty ?? true,
            standbys.withLock({ $0.prepared[key] == nil && $0.starts[key, default: 0] == startsBefore })
        else { return }
        var gate: [Int32] = [-1, -1]
        var output: [Int32] = [-1, -1]
        guard glibcPipe2(&gate, O_CLOEXEC) == 0 else { return }
        guard glibcPipe2(&output, O_CLOEXEC) == 0 else {
            Glibc.close(gate[0])
            Glibc.close(gate[1])
            return
        }
        defer {
            Glibc.close(gate[0])
            Glibc.close(output[1])
        }
        guard let pid = try? spawn(request, in: room, output: output[1], gate: gate[0]) else {
            Glibc.close(gate[1])
            Glibc.close(output[0])
            return
        }
        let standby = Standby(pid: pid, gate: gate[1], output: output[0], fingerprint: Self.fingerprint(request))
        // A start that came meanwhile runs in the micro's group already; this one is not wanted.
        let kept = standbys.withLock { state in
            guard state.starts[key, default: 0] == startsBefore, state.prepared[key] == nil else { return false }
            state.prepared[key] = standby
            return true
        }
        if !kept { dispose(standby, micro: request.micro, in: room, killGroup: false) }
    }

    /// Throws away the prepared starts of an instance (it is being removed, or the node stops).
    func dropStandbys(of instanceID: String, in room: InstanceRoom) {
        let dropped = standbys.withLock { state in
            let matching = state.prepared.filter { $0.key.hasPrefix(instanceID + "/") }
            for key in matching.keys { state.prepared[key] = nil }
            return matching
        }
        for (key, standby) in dropped { dispose(standby, micro: String(key.dropFirst(instanceID.count + 1)), in: room) }
    }

    /// Closes the gate (the waiting shell exits), kills what is left and reaps the process;
    /// `killGroup` also kills everything else in the micro's group.
    private func dispose(_ standby: Standby, micro: String, in room: InstanceRoom, killGroup: Bool = true) {
        Glibc.close(standby.gate)
        Glibc.close(standby.output)
        if killGroup { room.group?.signal(SIGKILL, micro: micro) }
        kill(-standby.pid, SIGKILL)
        let pid = standby.pid
        Thread.detachNewThread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        }
    }

    static func key(_ request: LaunchRequest) -> String {
        key(instanceID: request.instanceID, micro: request.micro)
    }

    static func key(instanceID: String, micro: String) -> String {
        "\(instanceID)/\(micro)"
    }
}
