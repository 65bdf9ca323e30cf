import Foundation
import HearthRegistry

/// How a space import installs an app: the node's normal install path (`Installer`), which
/// registers the instance, issues its new data and internal keys and builds the app. Given
/// by the caller, so this module needs no build tools.
public protocol AppInstalling: Sendable {
    /// Installs the app in `directory` as a new instance of `space`, named `slug` when free,
    /// recording `version` and `origin`. A failed install leaves nothing behind.
    func install(
        app directory: URL, slug: String, appName: String, version: String, origin: String, space: String
    ) async throws
        -> InstanceInfo
    /// Removes an instance with everything it has.
    func remove(_ instance: InstanceInfo) async throws
}
