import Foundation
import HearthCore
import HearthRegistry

/// Where the node answers, as micros need to know it.
public struct NodeAddress: Sendable, Equatable {
    /// Instances answer at `<slug>.<domain>`.
    public var domain: String
    /// The public port of instance hosts (omitted from host names when it is the scheme's default).
    public var port: Int
    /// `https` when the node serves TLS, else `http`.
    public var scheme: String
    /// The URL micros use for the Base and Drive APIs (the instance's own connection).
    public var apiURL: String
    /// When the node serves TLS, the PEM bundle micros trust (the system's authorities and the
    /// node's): their `SSL_CERT_FILE`, mounted read-only in sandboxes.
    public var trustBundle: String?

    public init(
        domain: String = "localhost", port: Int = 4200, scheme: String = "http", apiURL: String? = nil, trustBundle: String? = nil
    ) {
        self.domain = domain
        self.port = port
        self.scheme = scheme
        self.apiURL = apiURL ?? "http://127.0.0.1:\(port)"
        self.trustBundle = trustBundle
    }

    /// `host:port` of `apiURL`: what Deta's SDKs take as `DETA_BASE_HOST` (they add `https://`).
    public var apiHost: String {
        apiURL.range(of: "://").map { String(apiURL[$0.upperBound...]) } ?? apiURL
    }

    /// The host (with port) of an instance: what `DETA_SPACE_APP_HOSTNAME` holds.
    public func host(slug: String) -> String {
        authority("\(slug).\(domain)")
    }

    /// `name` with the node's port, unless the port is the scheme's default.
    public func authority(_ name: String) -> String {
        port == (scheme == "https" ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// The instance label of a host (with or without port) under the node's domain.
    public func instanceLabel(ofHost host: String) -> String? {
        Self.label(ofHost: host, under: domain)
    }

    /// The label of a host name under `domain` (`Notes.localhost:4200` → `notes`). A deeper name
    /// (`a.notes.localhost`) keeps its dot: no instance has it, but it is not the dashboard either.
    public static func label(ofHost host: String, under domain: String) -> String? {
        guard var name = split(authority: host.lowercased())?.host else { return nil }
        if name.hasSuffix(".") { name.removeLast() }
        let suffix = "." + domain.lowercased()
        guard name.hasSuffix(suffix) else { return nil }
        let label = name.dropLast(suffix.count)
        return label.isEmpty ? nil : String(label)
    }

    /// An authority (`notes.localhost:4200`, `[::1]:80`, `localhost`) as its host and its
    /// port (`nil` when it names none); `nil` when the port is not a number.
    public static func split(authority: String) -> (host: String, port: Int?)? {
        guard let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") else { return (authority, nil) }
        guard let port = Int(authority[authority.index(after: colon)...]) else { return nil }
        return (String(authority[..<colon]), port)
    }

    /// The origin of an instance (`http://notes.localhost:4200`).
    public func origin(slug: String) -> String {
        "\(scheme)://\(host(slug: slug))"
    }

    /// The origin of the dashboard, the node's domain itself (`http://localhost:4200`).
    public var dashboardOrigin: String {
        "\(scheme)://\(authority(domain))"
    }
}

/// The environment of a micro process (spec §5.2): a clean base, what its build needs, the
/// Deta runtime variables and the owner's preset values, never the node's own environment.
enum MicroEnvironment {
    struct Keys {
        var dataKey: String
        var apiKey: String
    }

    static func make(
        micro: Micro, instance: InstanceInfo, layout: InstanceLayout, build: [String: String], presets overrides: [String: String],
        keys: Keys, address: NodeAddress
    ) -> [String: String] {
        var environment: [String: String] = [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": layout.tmp.path,
            "TMPDIR": layout.tmp.path,
            "LANG": "C.UTF-8",
        ]
        for preset in micro.presets.env {
            if let value = overrides[preset.name] ?? preset.defaultValue { environment[preset.name] = value }
        }
        for (name, value) in build {
            environment[name] = name == "PATH" ? "\(value):\(environment["PATH"]!)" : value
        }
        let apiHost = address.apiHost
        if let bundle = address.trustBundle {
            for name in trustVariables { environment[name] = bundle }
        }
        environment.merge(
            [
                "DETA_PROJECT_KEY": keys.dataKey,
                "DETA_API_KEY": keys.apiKey,
                "DETA_SPACE_APP": "true",
                "DETA_SPACE_APP_VERSION": instance.version,
                "DETA_SPACE_APP_HOSTNAME": address.host(slug: instance.slug),
                "DETA_SPACE_APP_MICRO_NAME": micro.name,
                "DETA_SPACE_APP_MICRO_TYPE": micro.primary ? "primary" : "normal",
                "DETA_SPACE_APP_INSTANCE_ID": instance.id,
                "DETA_BASE_HOST": apiHost,
                "DETA_DRIVE_HOST": apiHost,
                "DETA_BASE_ROOT_ENDPOINT": address.apiURL + "/v1",
                "DETA_DRIVE_ROOT_ENDPOINT": address.apiURL + "/v1",
                "HEARTH_API_URL": address.apiURL,
            ],
            uniquingKeysWith: { $1 })
        return environment
    }

    /// The variables that point TLS clients at the trusted bundle: OpenSSL's (Python's `ssl`,
    /// Go, Ruby), Python requests', Node.js's (added to its own authorities) and curl's.
    static let trustVariables = ["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "CURL_CA_BUNDLE"]

    /// The variables each start sets to the port it chose: `PORT`, and for Python
    /// `UVICORN_PORT`, which `uvicorn main:app` without `--port` listens on.
    static func portVariables(of micro: Micro) -> [String] {
        micro.engine.family == .python ? ["PORT", "UVICORN_PORT"] : ["PORT"]
    }
}
