import Foundation
import HearthCore

/// A project file that cannot be used.
typealias ProjectError = ModuleError<ProjectFile>

/// `.hearth/project.json` in an app directory: the builder instance `hearth push` updates, and
/// the dev instance `hearth dev` runs, on each node. A node is named by its data directory's real path, or by
/// its URL for a remote one.
struct ProjectFile: Codable {
    /// Builder instance ids by node.
    var builders: [String: String] = [:]
    /// Dev instance ids by node (`hearth dev`).
    var dev: [String: String] = [:]

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        builders = try container.decodeIfPresent([String: String].self, forKey: .builders) ?? [:]
        dev = try container.decodeIfPresent([String: String].self, forKey: .dev) ?? [:]
    }

    static func url(in app: URL) -> URL { app.appendingPathComponent(".hearth/project.json") }

    /// The project file of `app`, or an empty one if it has none yet.
    static func read(in app: URL) throws -> ProjectFile {
        let file = url(in: app)
        guard FileManager.default.fileExists(atPath: file.path) else { return ProjectFile() }
        do {
            return try JSONDecoder().decode(ProjectFile.self, from: Data(contentsOf: file))
        } catch {
            throw ProjectError("cli.project_file", "\(file.path) cannot be read; remove it to push as a new app", cause: error)
        }
    }

    /// Writes the file, with a `.gitignore` so that the ids stay out of the app's repository.
    func write(in app: URL) throws {
        let directory = Self.url(in: app).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: Self.url(in: app), options: .atomic)
        try Data("*\n".utf8).write(to: directory.appendingPathComponent(".gitignore"), options: .atomic)
    }
}
