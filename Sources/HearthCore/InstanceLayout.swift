import Foundation

/// The files of one installed instance, under `spaces/<space>/instances/<id>/`
/// (see docs/storage-format.md). The directory is also the home of the instance's collection.
public struct InstanceLayout: Sendable {
    public let directory: URL
    /// The deployment in use: its app copy and build outputs live in `deployments/<id>/`; the
    /// empty id means the instance directory itself (every install, until its first update).
    public let deployment: String

    public init(directory: URL, deployment: String = "") {
        self.directory = directory
        self.deployment = deployment
    }

    /// The same instance with another deployment's app copy and build outputs.
    public func with(deployment: String) -> InstanceLayout {
        InstanceLayout(directory: directory, deployment: deployment)
    }

    /// Where the deployment's `app/` and `build/` are.
    public var code: URL {
        deployment.isEmpty ? directory : directory.appendingPathComponent("deployments/\(deployment)", isDirectory: true)
    }

    /// The instance directory, relative to the data root (as the registry records it).
    public static func path(space: String, instance: String) -> String {
        "spaces/\(space)/instances/\(instance)"
    }

    /// The installed copy of the app, read-only to its micros.
    public var app: URL { code.appendingPathComponent("app") }
    /// The only place micros may write.
    public var tmp: URL { directory.appendingPathComponent("tmp") }
    /// What builds produce per micro (a Python venv, a stamp of what was built).
    public func build(micro: String) -> URL { code.appendingPathComponent("build/\(micro)") }
    /// The rotating output log of one micro.
    public func log(micro: String) -> URL { directory.appendingPathComponent("logs/\(micro).log") }
    /// The log of builds.
    public var buildLog: URL { directory.appendingPathComponent("logs/build.log") }
    /// Keys the micros are given (data key, internal API key); 0600 files in a 0700 directory.
    public var secrets: URL { directory.appendingPathComponent("secrets") }
    /// The instance's data key, its micros' `DETA_PROJECT_KEY`.
    public var dataKeyFile: URL { secrets.appendingPathComponent("data.key") }
    /// The key its micros call each other with, their `DETA_API_KEY`.
    public var internalKeyFile: URL { secrets.appendingPathComponent("api.key") }
}
