import HearthCore

/// What a release is and what its app asks for, micro by micro (env presets, public routes, API
/// keys, scheduled actions): what `hearth install` prints before it asks, and what the owner
/// API's inspect call answers as JSON. One source for both.
public struct ReleaseSummary: Encodable, Sendable {
    public let app: String
    public let version: String
    public let notes: String
    public let createdAt: String
    public let fingerprint: String
    public let title: String?
    public let tagline: String?
    /// How many file hashes were verified with the signature.
    public let files: Int
    public let micros: [MicroRequests]

    /// What one micro asks for.
    public struct MicroRequests: Encodable, Sendable {
        public let name: String
        public let engine: String
        public let primary: Bool
        public let path: String
        public let env: [Env]
        /// Routes anyone may open without signing in.
        public let publicRoutes: [String]
        /// Whether app API keys may open its private routes.
        public let apiKeys: Bool
        public let actions: [Action]
    }

    public struct Env: Encodable, Sendable {
        public let name: String
        public let description: String?
        public let defaultValue: String?
    }

    public struct Action: Encodable, Sendable {
        public let id: String
        public let name: String
        public let description: String?
        /// `every 5 minutes`, or `cron <expression>`.
        public let schedule: String
    }

    public init(manifest: ReleaseManifest, spacefile: Spacefile) {
        (app, version, notes, createdAt) = (manifest.app, manifest.version, manifest.notes, manifest.createdAt)
        (fingerprint, title, tagline) = (manifest.publisher.fingerprint, manifest.discoveryData?.title, manifest.discoveryData?.tagline)
        files = manifest.files.count
        micros = spacefile.micros.map { micro in
            MicroRequests(
                name: micro.name, engine: micro.engine.rawValue, primary: micro.primary, path: micro.path,
                env: micro.presets.env.map { Env(name: $0.name, description: $0.description, defaultValue: $0.defaultValue) },
                publicRoutes: micro.publicRoutes, apiKeys: micro.presets.apiKeys,
                actions: micro.actions.map {
                    Action(id: $0.id, name: $0.name, description: $0.description, schedule: Self.describe($0.schedule))
                })
        }
    }

    static func describe(_ schedule: Schedule) -> String {
        switch schedule {
        case .rate(let count, let unit): "every \(count) \(unit.rawValue)\(count == 1 ? "" : "s")"
        case .cron(let expression): "cron \(expression.source)"
        }
    }

    /// The summary as the CLI prints it.
    public var text: String {
        var lines = ["Release:      \(app) \(version)", "Publisher:    \(fingerprint)", "Created:      \(createdAt)"]
        if let title { lines.append("Title:        \(title)") }
        if let tagline { lines.append("Tagline:      \(tagline)") }
        if !notes.isEmpty { lines.append("Notes:        \(notes)") }
        lines.append("Signature and all \(files) file hashes verified.")
        for micro in micros {
            lines.append("Micro \(micro.name) (\(micro.engine)\(micro.primary ? ", primary" : ""), at \(micro.path)):")
            for preset in micro.env {
                let detail = [preset.description, preset.defaultValue.map { "default: \($0)" }].compactMap { $0 }.joined(separator: "; ")
                lines.append("  env \(preset.name)" + (detail.isEmpty ? "" : " — \(detail)"))
            }
            if !micro.publicRoutes.isEmpty { lines.append("  public routes (no sign-in): \(micro.publicRoutes.joined(separator: ", "))") }
            if micro.apiKeys { lines.append("  api_keys: app API keys may open its private routes") }
            for action in micro.actions {
                lines.append("  scheduled action \(action.id) (\(action.name))" + (action.description.map { ": \($0)" } ?? ""))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Whether a release may update an installed app: the same app, the same publisher (when the
/// installed version has one), and a newer version. `hearth app update` and the owner API
/// both ask it; `--force` (or `force`) overrides.
public enum ReleaseUpdateCheck {
    /// What is wrong with updating an app named `app`, published by `publisher`, at `version`,
    /// to the release `manifest`; empty when nothing is.
    public static func problems(_ manifest: ReleaseManifest, app: String, slug: String, publisher: String?, version: String) -> [String] {
        var problems: [String] = []
        if manifest.app != app {
            problems.append("the release is of \(manifest.app), but '\(slug)' runs \(app)")
        }
        if let publisher, publisher != manifest.publisher.fingerprint {
            problems.append(
                "the release is signed by \(manifest.publisher.fingerprint), not by \(publisher), who published the installed version")
        }
        if ReleaseVersion.precedes(version, manifest.version) == false {
            problems.append("\(manifest.version) is not newer than the installed \(version)")
        }
        return problems
    }
}
