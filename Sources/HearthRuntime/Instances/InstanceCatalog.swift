import Foundation
import HearthCore
import HearthRegistry
import Synchronization

/// Finds the instance behind a host name and prepares it to serve: its Spacefile read from
/// the installed copy, each micro's start command and environment. Answers are cached until
/// the registry changes (an install, a removal, an env change, from any process).
public final class InstanceCatalog: Sendable {
    let registry: Registry
    let layout: DataLayout
    let builder: Builder
    private let state = Mutex<State>(State())

    private struct State {
        var version: Int64 = -1
        var loaded: [String: LoadedInstance] = [:]
        var address = NodeAddress()
        /// Hashes of instances' internal API keys → slugs, as of `keysVersion`.
        var internalKeys: [String: String] = [:]
        var keysVersion: Int64 = -1
    }

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
                state = State()
                state.address = newValue
            }
        }
    }

    /// The instance answering at `slug`, or `nil` if there is none.
    public func instance(slug: String) async throws(RegistryError) -> LoadedInstance? {
        let version = try registry.changeVersion()
        if let cached = state.withLock({ $0.version == version ? $0.loaded[slug] : nil }) { return cached }
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

    /// The instance whose internal API key (its micros' `DETA_API_KEY`) this is: how micros
    /// reach their siblings through the node. Keys are re-read only after the registry changed.
    public func instance(internalKey: String) async throws(RegistryError) -> LoadedInstance? {
        let hash = Secrets.hash(internalKey)
        let version = try registry.changeVersion()
        var slug = state.withLock { $0.keysVersion == version ? $0.internalKeys[hash] : nil }
        if slug == nil, state.withLock({ $0.keysVersion != version }) {
            var keys: [String: String] = [:]
            for info in try await registry.instances() {
                let file = InstanceLayout(directory: layout.resolve(info.path)).secrets.appendingPathComponent("api.key")
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
        let instanceLayout = InstanceLayout(directory: layout.resolve(info.path))
        let spacefile: Spacefile
        do {
            spacefile = try Spacefile.load(directory: instanceLayout.app)
        } catch {
            throw RegistryError(RegistryError.storage, "The installed Spacefile of '\(info.slug)' cannot be read", cause: error)
        }
        let overrides = try await registry.environment(instance: info.id)
        let keys = MicroEnvironment.Keys(
            dataKey: Self.readSecret(instanceLayout.secrets.appendingPathComponent("data.key")),
            apiKey: Self.readSecret(instanceLayout.secrets.appendingPathComponent("api.key")))
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
                    workingDirectory: workingDirectory, instanceDirectory: instanceLayout.directory,
                    log: instanceLayout.log(micro: micro.name))
                return LoadedMicro(micro: micro, target: .process(spec))
            }
        }
        return LoadedInstance(info: info, layout: instanceLayout, spacefile: spacefile, micros: micros)
    }

    private static func readSecret(_ file: URL) -> String {
        ((try? String(contentsOf: file, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
