import Foundation

/// An app's `Spacefile` (schema v0, spec §4), validated and normalised: paths have their
/// leading `/`, exactly one micro is primary, `public: true` is `publicRoutes == ["/*"]`.
public struct Spacefile: Sendable, Equatable {
    /// `v`; 0, with Deta's later `1` tolerated.
    public var version: Int
    public var icon: String?
    /// The deprecated `app_name` (at most 12 characters).
    public var appName: String?
    /// Whether the PWA client runtime is injected (`auto_pwa`, default `true`).
    public var autoPWA: Bool
    /// One to five micros; exactly one is primary.
    public var micros: [Micro]

    public init(version: Int = 0, icon: String? = nil, appName: String? = nil, autoPWA: Bool = true, micros: [Micro]) {
        self.version = version
        self.icon = icon
        self.appName = appName
        self.autoPWA = autoPWA
        self.micros = micros
    }

    /// The micro serving `/` and every path no other micro claims.
    public var primary: Micro { micros.first(where: \.primary) ?? micros[0] }
}

/// One micro of an app (spec §4.3).
public struct Micro: Sendable, Equatable {
    public var name: String
    /// The micro's directory, relative to the app root.
    public var src: String
    public var engine: Engine
    public var primary: Bool
    /// The mount prefix: `/` for the primary micro, else `/name` or the normalised `path`.
    public var path: String
    /// The directory served by static engines, relative to `src`.
    public var serve: String?
    /// Build commands, run in `src`.
    public var commands: [String]
    /// The only paths (relative to `src`) that go into the package, when given.
    public var include: [String]?
    /// The start command; it must listen on `$PORT`.
    public var run: String?
    /// The development command (`space dev`); kept, never run by the node.
    public var dev: String?
    public var presets: Presets
    /// Route patterns that need no login; `public: true` is `["/*"]`.
    public var publicRoutes: [String]
    /// Whether the micro serves App Actions at `/__space/actions` (experimental).
    public var provideActions: Bool
    public var actions: [ScheduledAction]

    public init(
        name: String, src: String, engine: Engine, primary: Bool = false, path: String = "/", serve: String? = nil,
        commands: [String] = [], include: [String]? = nil, run: String? = nil, dev: String? = nil,
        presets: Presets = Presets(), publicRoutes: [String] = [], provideActions: Bool = false,
        actions: [ScheduledAction] = []
    ) {
        self.name = name
        self.src = src
        self.engine = engine
        self.primary = primary
        self.path = path
        self.serve = serve
        self.commands = commands
        self.include = include
        self.run = run
        self.dev = dev
        self.presets = presets
        self.publicRoutes = publicRoutes
        self.provideActions = provideActions
        self.actions = actions
    }
}

/// A micro's engine (spec §4.4).
public enum Engine: String, Sendable, CaseIterable {
    case staticSite = "static"
    case react, svelte, vue
    case next, nuxt
    case svelteKit = "svelte-kit"
    case python39 = "python3.9"
    case python38 = "python3.8"
    case nodejs16
    case custom

    /// How the node builds and runs a micro of this engine.
    public enum Family: Sendable {
        /// Files served by the node itself; no process.
        case staticSite
        case python
        case node
        /// Any command (`run` is required).
        case custom
    }

    public var family: Family {
        switch self {
        case .staticSite, .react, .svelte, .vue: .staticSite
        case .python38, .python39: .python
        case .next, .nuxt, .svelteKit, .nodejs16: .node
        case .custom: .custom
        }
    }

    /// The engine a Spacefile names, including the CLI's aliases `nodejs14`, `nodejs14.x`, `nodejs16.x`.
    public init?(spacefileName: String) {
        switch spacefileName {
        case "nodejs14", "nodejs14.x", "nodejs16.x": self = .nodejs16
        default: self.init(rawValue: spacefileName)
        }
    }
}

/// A micro's `presets` (spec §4.5).
public struct Presets: Sendable, Equatable {
    /// Environment variables the owner may set; each has an optional default.
    public var env: [EnvPreset]
    /// Whether app API keys (`X-Space-App-Key`) open this micro's private routes.
    public var apiKeys: Bool

    public init(env: [EnvPreset] = [], apiKeys: Bool = false) {
        self.env = env
        self.apiKeys = apiKeys
    }
}

public struct EnvPreset: Sendable, Equatable {
    public var name: String
    public var description: String?
    public var defaultValue: String?

    public init(name: String, description: String? = nil, defaultValue: String? = nil) {
        self.name = name
        self.description = description
        self.defaultValue = defaultValue
    }
}

/// A scheduled action (spec §4.6), delivered as `POST /__space/v0/actions`.
public struct ScheduledAction: Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String?
    /// `default_interval`, parsed.
    public var schedule: Schedule
    /// The schema-only `path` field; kept, with no effect on delivery.
    public var path: String?

    public init(id: String, name: String, description: String? = nil, schedule: Schedule, path: String? = nil) {
        self.id = id
        self.name = name
        self.description = description
        self.schedule = schedule
        self.path = path
    }
}
