import Foundation
import HearthCore

/// What the build and the launch need from a micro's `package.json`.
struct PackageManifest {
    /// The packages in `dependencies` and `devDependencies` (npm installs both for a build).
    var dependencyCount: Int
    var hasStartScript: Bool

    /// Reads `package.json` in `directory`: nil if there is none, `build.source` if it is not JSON.
    static func read(in directory: URL) throws(BuildError) -> PackageManifest? {
        let file = directory.appendingPathComponent("package.json")
        guard FileTree.followedKind(atPath: file.path) == .file else { return nil }
        guard let bytes = try? Data(contentsOf: file) else {
            throw BuildError(BuildError.source, "package.json in \(directory.lastPathComponent) cannot be read")
        }
        let root: JSONObject
        do {
            guard let object = try JSONParser.parse(Array(bytes)).objectValue else { throw CoreError(CoreError.badJSON, "") }
            root = object
        } catch {
            throw BuildError(BuildError.source, "package.json in \(directory.lastPathComponent) is not a JSON object", cause: error)
        }
        let names = ["dependencies", "devDependencies"].flatMap { root[$0]?.objectValue?.keys ?? [] }
        let start = root["scripts"]?.objectValue?["start"]?.stringValue
        return PackageManifest(dependencyCount: Set(names).count, hasStartScript: !(start ?? "").isEmpty)
    }
}
