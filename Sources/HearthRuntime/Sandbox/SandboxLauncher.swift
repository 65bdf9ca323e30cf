import Foundation
import HearthCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Starts micros inside their instance's sandbox (see `SandboxCommand` and `InstanceRoom`).
public final class SandboxLauncher: Launcher {
    let tools: SandboxCommand.Tools
    let tree: ControlGroupTree?
    let tmpQuota: Bool
    private let limits: @Sendable (String) async -> InstanceLimits
    private let rooms = Mutex<[String: Room]>([:])
    private let services = Mutex<(any RoomServices)?>(nil)
    private let seen = Mutex<[String: ResourceUsage]>([:])
    /// A prepared start per stopped micro, and how many starts each micro had
    /// (`SandboxLauncher+Standby.swift`).
    let standbys = Mutex<(prepared: [String: Standby], starts: [String: Int])>(([:], [:]))

    init(
        tools: SandboxCommand.Tools, tree: ControlGroupTree?, tmpQuota: Bool, limits: @escaping @Sendable (String) async -> InstanceLimits
    ) {
        self.tools = tools
        self.tree = tree
        self.tmpQuota = tmpQuota
        self.limits = limits
    }

    public var isolates: Bool { true }

    /// Where the node's API and outbound proxy listen inside each instance's network.
    public func serve(with services: any RoomServices) {
        self.services.withLock { $0 = services }
    }

    public func network(for spec: MicroSpec) async throws(RuntimeError) -> any MicroNetwork {
        let limits = await limits(spec.instanceID)
        let entry = rooms.withLock { rooms in
            if let existing = rooms[spec.instanceID] { return existing }
            let task = Task { () async throws -> InstanceRoom in try await self.makeRoom(for: spec, limits: limits) }
            rooms[spec.instanceID] = .making(task)
            return .making(task)
        }
        let room: InstanceRoom
        switch entry {
        case .ready(let ready):
            room = ready
        case .making(let task):
            do {
                room = try await task.value
                rooms.withLock { $0[spec.instanceID] = .ready(room) }
            } catch {
                rooms.withLock { $0[spec.instanceID] = nil }
                throw error as? RuntimeError ?? RuntimeError(RuntimeError.launchFailed, "Cannot make the sandbox", cause: error)
            }
        }
        if room.limits != limits { try update(room, to: limits) }
        await awaitLeftovers(of: spec, in: room)
        return room.network
    }

    /// Waits (up to two seconds) for the processes an ended run of the micro left in its group
    /// (a killed fork bomb's, still being reaped) to go, so they do not hold the process limit
    /// against the new start. A prepared start's waiting processes are not leftovers.
    private func awaitLeftovers(of spec: MicroSpec, in room: InstanceRoom) async {
        let key = Self.key(instanceID: spec.instanceID, micro: spec.micro)
        guard let group = room.group, standbys.withLock({ $0.prepared[key] == nil }) else { return }
        for _ in 0..<400 {
            if group.processes(micro: spec.micro).isEmpty { return }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    public func launch(_ request: LaunchRequest) throws(RuntimeError) -> LaunchedProcess {
        guard let room = room(request.instanceID) else {
            throw RuntimeError(RuntimeError.launchFailed, "The instance's sandbox is not ready")
        }
        standbys.withLock { $0.starts[Self.key(request), default: 0] += 1 }
        if let prepared = takeStandby(for: request, in: room) { return prepared }
        return LaunchedProcess(pid: try spawn(request, in: room, output: request.output, gate: nil))
    }

    /// Starts `request` in `room`; with a `gate` (a pipe's read end), the micro's command waits
    /// inside its finished sandbox until its port arrives through the gate.
    func spawn(_ request: LaunchRequest, in room: InstanceRoom, output: Int32, gate: Int32?) throws(RuntimeError) -> Int32 {
        let groups = try room.group?.join(micro: request.micro) ?? []
        var environment = request.environment
        let proxy = "http://127.0.0.1:\(Self.proxyPort(apiPort: Self.apiPort(of: request.environment)))"
        environment.merge(
            [
                "HOME": "/tmp", "TMPDIR": "/tmp", "HTTP_PROXY": proxy, "HTTPS_PROXY": proxy, "http_proxy": proxy, "https_proxy": proxy,
                "NO_PROXY": "localhost,127.0.0.1,::1", "no_proxy": "localhost,127.0.0.1,::1",
            ], uniquingKeysWith: { $1 })
        let arguments = SandboxCommand.arguments(
            tools: tools,
            room: .init(
                uid: room.uid, hostname: room.hostname, codeDirectory: request.codeDirectory.path, tmp: room.tmp.mountPoint.path,
                etc: room.etc.path, controlGroups: groups),
            micro: gate == nil ? request.arguments : Self.gated(request), workingDirectory: request.workingDirectory.path,
            readOnlyPaths: request.hostPaths)
        let finalEnvironment = environment
        return try SandboxThread.shared.run(in: room.network.descriptor) { () throws(RuntimeError) in
            try ProcessLauncher.spawn(arguments, environment: finalEnvironment, workingDirectory: "/", output: output, passing: gate)
        }
    }

    /// Signals the micro's own processes (not the root-owned bubblewrap steps, whose end would
    /// kill the rest at once, before they could finish on `SIGTERM`); `SIGKILL` goes to all.
    public func signal(_ signal: Int32, pid: Int32, of request: LaunchRequest) {
        guard let room = room(request.instanceID), let group = room.group else {
            kill(-pid, signal)
            return
        }
        for process in group.processes(micro: request.micro) where signal == SIGKILL || Self.owner(of: process) == room.uid {
            kill(process, signal)
        }
        if signal == SIGKILL {
            kill(-pid, SIGKILL)
            prepareStandbySoon(for: request)
        }
    }

    public func usage(instanceID: String) -> ResourceUsage? {
        room(instanceID)?.group?.usage()
    }

    public func discard(instanceID: String) async {
        let room: InstanceRoom?
        switch rooms.withLock({ $0.removeValue(forKey: instanceID) }) {
        case .ready(let ready): room = ready
        case .making(let task): room = try? await task.value
        case nil: room = nil
        }
        guard let room else { return }
        seen.withLock { $0[instanceID] = nil }
        dropStandbys(of: instanceID, in: room)
        await services.withLock { $0 }?.close(instanceID: instanceID)
        room.group?.remove()
        room.tmp.unmount()
    }

    /// Gives up every room (node shutdown): processes killed, groups removed, volumes unmounted.
    public func close() async {
        for id in rooms.withLock({ Array($0.keys) }) { await discard(instanceID: id) }
        for base in tree?.bases ?? [] { rmdir(base) }
    }

    /// What the limits did since the last check: memory-limit kills by the kernel, and micros
    /// that reached the process limit, which are killed here (a fork bomb would otherwise keep
    /// the instance at its limit).
    public func checkLimits() -> [LimitEvent] {
        var events: [LimitEvent] = []
        for room in rooms.withLock({ $0.keys }).compactMap(room) {
            guard let group = room.group else { continue }
            let usage = group.usage()
            let before = seen.withLock { $0.updateValue(usage, forKey: room.instanceID) } ?? ResourceUsage()
            let limits = room.limits
            if usage.oomKills > before.oomKills {
                events.append(
                    LimitEvent(
                        instanceID: room.instanceID,
                        message: "the kernel killed a process for crossing the memory limit (\(ByteSize.describe(limits.memoryBytes)))"))
            }
            if usage.processLimitHits > before.processLimitHits, let micro = group.busiestMicro() {
                group.signal(SIGKILL, micro: micro)
                events.append(
                    LimitEvent(
                        instanceID: room.instanceID, micro: micro,
                        message: "killed: it reached the limit of \(limits.processes) processes"))
            }
        }
        return events
    }

    func room(_ instanceID: String) -> InstanceRoom? {
        guard case .ready(let room) = rooms.withLock({ $0[instanceID] }) else { return nil }
        return room
    }

    private func makeRoom(for spec: MicroSpec, limits: InstanceLimits) async throws -> InstanceRoom {
        let taken = Set(rooms.withLock { Array($0.keys) }.compactMap(room).map(\.uid))
        let uid = InstanceRoom.userID(for: spec.instanceID, taken: taken)
        let appHost = String((spec.environment["DETA_SPACE_APP_HOSTNAME"] ?? "app").split(separator: ":").first ?? "app")
        let hostname = String(appHost.split(separator: ".").first ?? "app")
        let network = try NetworkNamespace()
        let group = tree?.instance(spec.instanceID)
        try group?.create(limits: limits)
        let tmp = TmpVolume(
            image: spec.instanceDirectory.appendingPathComponent("tmp.img"),
            mountPoint: spec.instanceDirectory.appendingPathComponent("tmp"))
        try prepare(tmp, bytes: limits.tmpBytes, uid: uid)
        let etc = spec.instanceDirectory.appendingPathComponent("sandbox/etc")
        try InstanceRoom.writeEtc(etc, uid: uid, hostname: hostname, appHost: appHost)
        let room = InstanceRoom(
            instanceID: spec.instanceID, uid: uid, hostname: hostname, network: network, group: group, tmp: tmp, etc: etc, limits: limits)
        if let services = services.withLock({ $0 }) {
            let apiPort = Self.apiPort(of: spec.environment)
            let api = try network.listen(port: apiPort)
            let proxy = try network.listen(port: Self.proxyPort(apiPort: apiPort))
            try await services.open(instanceID: spec.instanceID, api: api, proxy: proxy) { [weak room] in room?.limits.outbound ?? false }
        }
        return room
    }

    /// Applies changed limits. A new `tmp/` size makes a new volume, which waits until none of
    /// the instance's processes runs (prepared starts are thrown away for it); until then the old
    /// size stays and the next start tries again.
    private func update(_ room: InstanceRoom, to limits: InstanceLimits) throws(RuntimeError) {
        try room.group?.apply(limits)
        var applied = limits
        if limits.tmpBytes != room.limits.tmpBytes {
            dropStandbys(of: room.instanceID, in: room)
            for _ in 0..<100 where !(room.group?.processes().isEmpty ?? true) { usleep(2000) }
            if room.group?.processes().isEmpty ?? true {
                try prepare(room.tmp, bytes: limits.tmpBytes, uid: room.uid)
            } else {
                applied.tmpBytes = room.limits.tmpBytes
            }
        }
        room.limits = applied
    }

    private func prepare(_ tmp: TmpVolume, bytes: Int64, uid: UInt32) throws(RuntimeError) {
        if tmpQuota {
            try tmp.mount(bytes: bytes, uid: uid)
        } else {
            try? FileManager.default.createDirectory(at: tmp.mountPoint, withIntermediateDirectories: true)
            chown(tmp.mountPoint.path, uid, uid)
            chmod(tmp.mountPoint.path, 0o755)
        }
    }

    /// The port of the node's API as micros know it (`HEARTH_API_URL`), served inside their network too.
    static func apiPort(of environment: [String: String]) -> Int {
        environment["HEARTH_API_URL"].flatMap { URL(string: $0)?.port } ?? 80
    }

    /// The outbound proxy's port inside an instance's network.
    static func proxyPort(apiPort: Int) -> Int {
        apiPort == 3128 ? 3129 : 3128
    }

    private static func owner(of pid: Int32) -> UInt32? {
        var info = stat()
        return stat("/proc/\(pid)", &info) == 0 ? info.st_uid : nil
    }
}

extension SandboxLauncher {
    /// A room being made by its first wake, or ready.
    enum Room {
        case making(Task<InstanceRoom, any Error>)
        case ready(InstanceRoom)
    }
}
