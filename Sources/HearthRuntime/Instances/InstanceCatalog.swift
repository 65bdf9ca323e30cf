import Foundation
import HearthCore
import HearthRegistry
import Synchronization

/// Finds the instance behind a host name and prepares it to serve: its Spacefile read from
/// the installed copy, each micro's start command and environment. Answers are cached until
/// the registry changes (an install, a removal, an env change, from any process).
///
/// Whether it changed is asked at most every `recheckInterval` (reading SQLite's data version
/// on every request cost the proxy and static paths about an eighth of their CPU), so a change
/// made by another process shows within that interval; the control API calls `invalidate()`,
/// so what the CLI changed before `hearth app restart` or `rm` shows at once.
public final class InstanceCatalog: Sendable {
    let registry: Registry
    let layout: DataLayout
    public let builder: Builder
    private let state = Mutex<State>(State())

    private struct State {
        var version: Int64 = -1
        var loaded: [String: LoadedInstance] = [:]
        var address = NodeAddress()
        /// Hashes of instances' internal API keys → slugs, as of `keysVersion`.
        var internalKeys: [String: String] = [:]
        var keysVersion: Int64 = -1
        /// When `version` was last read and found current; cached instances are served without
        /// asking again until `recheckInterval` after it.
        var checkedAt: ContinuousClock.Instant?
        /// Counts `invalidate()` calls, so that a lookup which read the version before one does
        /// not mark the cache fresh after it.
        var invalidations = 0
    }

    /// How long cached instances are served without asking whether the registry changed.
    static let recheckInterval: Duration = .milliseconds(10)

    public init(registry: Registry, layout: DataLayout, builder: Builder, address: NodeAddress = NodeAddress()) {
        self.registry = registry
        self.layout = layout
        self.builder = builder
        state.withLock { $0.address = address }
    }

    public var address: NodeAddress {
        get { state.withLock { $0.address } }
        set {
            state.withLock { state in
                let invalidations = state.invalidations
                state = State()
                state.address = newValue
                state.invalidations = invalidations + 1
            }
        }
    }

    /// The instance answering at `slug`, or `nil` if there is none.
    public func instance(slug: String) async throws(RegistryError) -> LoadedInstance? {
        let now = ContinuousClock.now
        let (fresh, invalidations) = state.withLock { state in
            (state.checkedAt.map { now - $0 < Self.recheckInterval } == true ? state.loaded[slug] : nil, state.invalidations)
        }
        if let fresh { return fresh }
        let version = try registry.changeVersion()
        let cached = state.withLock { state -> LoadedInstance? in
            guard state.version == version else { return nil }
            if state.invalidations == invalidations { state.checkedAt = now }
            return state.loaded[slug]
        }
        if let cached { return cached }
        guard let info = try await registry.instance(slug: slug) else { return nil }
        let loaded = try await load(info)
        state.withLock { state in
            if state.version != version {
                state.version = version
                state.loaded = [:]
            }
            state.loaded[slug] = loaded
        }
        return loaded
    }

    /// Makes the next lookup ask the registry whether it changed: for the control API, which
    /// the CLI calls right after changing the registry.
    public func invalidate() {
        state.withLock { state in
            state.checkedAt = nil
            state.invalidations += 1
        }
    }

    /// The instance whose internal API key (its micros' `DETA_API_KEY`) this is: how micros
    /// reach their siblings through the node. Keys are re-read only after the registry changed.
    public func instance(internalKey: String) async throws(RegistryError) -> LoadedInstance? {
        let hash = Secrets.hash(internalKey)
        let version = try registry.changeVersion()
        var slug = state.withLock { $0.keysVersion == version ? $0.internalKeys[hash] : nil }
        if slug == nil, state.withLock({ $0.keysVersion != version }) {
            var keys: [String: String] = [:]
            for info in try await registry.instances() {
                let file = layout.instance(info).internalKeyFile
                let key = Self.readSecret(file)
                if !key.isEmpty { keys[Secrets.hash(key)] = info.slug }
            }
            state.withLock { state in
                state.internalKeys = keys
                state.keysVersion = version
            }
            slug = keys[hash]
        }
        guard let slug else { return nil }
        return try await instance(slug: slug)
    }

    /// Every ready instance, loaded (for the scheduler).
    public func allInstances() async throws(RegistryError) -> [LoadedInstance] {
        var result: [LoadedInstance] = []
        for info in try await registry.instances() where info.state == .ready {
            if let loaded = try await instance(slug: info.slug) { result.append(loaded) }
        }
        return result
    }

    private func load(_ info: InstanceInfo) async throws(RegistryError) -> LoadedInstance {
        let instanceLayout = layout.instance(info)
        let spacefile: Spacefile
        do {
            spacefile = try Spacefile.load(directory: instanceLayout.app)
        } catch {
            throw RegistryError(RegistryError.storage, "The installed Spacefile of '\(info.slug)' cannot be read", cause: error)
        }
        let overrides = try await registry.environment(instance: info.id)
        let keys = MicroEnvironment.Keys(
            dataKey: Self.readSecret(instanceLayout.dataKeyFile), apiKey: Self.readSecret(instanceLayout.internalKeyFile))
        let address = self.address
        let micros = spacefile.micros.map { micro -> LoadedMicro in
            switch builder.launch(for: micro, in: instanceLayout) {
            case .staticSite(let root, let spaFallback):
                return LoadedMicro(micro: micro, target: .staticSite(StaticSite(root: root, spaFallback: spaFallback)))
            case .process(let arguments, let buildEnvironment, let workingDirectory):
                let environment = MicroEnvironment.make(
                    micro: micro, instance: info, layout: instanceLayout, build: buildEnvironment, presets: overrides, keys: keys,
                    address: address)
                let spec = MicroSpec(
                    instanceID: info.id, micro: micro.name, arguments: arguments, environment: environment,
                    portVariables: MicroEnvironment.portVariables(of: micro),
                    workingDirectory: workingDirectory, instanceDirectory: instanceLayout.directory,
                    log: instanceLayout.log(micro: micro.name),
                    hostPaths: RuntimePaths.needed(
                        buildEnvironment: buildEnvironment, instanceDirectory: instanceLayout.directory.path)
                        + (address.trustBundle.map { [$0] } ?? []),
                    codeDirectory: instanceLayout.code)
                return LoadedMicro(micro: micro, target: .process(spec))
            }
        }
        return LoadedInstance(info: info, layout: instanceLayout, spacefile: spacefile, micros: micros)
    }

    private static func readSecret(_ file: URL) -> String {
        ((try? String(contentsOf: file, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
