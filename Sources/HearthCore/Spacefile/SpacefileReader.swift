import Foundation

/// Turns a composed Spacefile into the model, logging every problem: the fields of the file (spec §4.2–§4.6),
/// then the checks across micros (§4.7) and, when loading from a directory, that each `src` exists.
struct SpacefileReader {
    static let keys: Set<String> = ["v", "icon", "app_name", "auto_pwa", "micros"]
    static let maximumMicros = 5
    static let maximumAppNameLength = 12

    let log: ProblemLog
    /// The app directory whose `src` directories are checked; nil to check the text alone.
    let directory: URL?

    /// The Spacefile, or nil when anything was logged.
    func read(_ root: YAMLField) -> Spacefile? {
        guard let fields = YAMLMapping(root, allowing: Self.keys) else { return nil }
        let version = fields.required("v")?.integer
        if let version, version != 0, version != 1 { fields["v"]?.report("unsupported version \(version); expected 0") }
        let appName = fields["app_name"]?.string
        if let appName, appName.unicodeScalars.count > Self.maximumAppNameLength {
            fields["app_name"]?.report(
                "must be at most \(Self.maximumAppNameLength) characters, found \(appName.unicodeScalars.count)")
        }
        let spacefile = Spacefile(
            version: version ?? 0, icon: fields["icon"]?.relativePath(inside: "the app directory"), appName: appName,
            autoPWA: fields["auto_pwa"]?.bool ?? true, micros: fields.required("micros").map(readMicros) ?? [])
        return log.isEmpty ? spacefile : nil
    }

    private func readMicros(_ field: YAMLField) -> [Micro] {
        guard let entries = field.list else { return [] }
        guard entries.count <= Self.maximumMicros else {
            field.report("an app may have at most \(Self.maximumMicros) micros, found \(entries.count)")
            return []
        }
        var micros = entries.compactMap(MicroEntry.init(reading:))
        checkNames(micros)
        choosePrimary(&micros, allRead: micros.count == entries.count, in: field)
        checkPaths(micros)
        checkActionIDs(micros)
        if let directory { checkSources(micros, in: directory) }
        return micros.map(\.micro)
    }

    private func checkNames(_ micros: [MicroEntry]) {
        var seen = Set<String>()
        for entry in micros where !seen.insert(entry.micro.name).inserted {
            entry.fields["name"]?.report("micro names have to be unique, duplicate micro `\(entry.micro.name)` found")
        }
    }

    /// Exactly one micro is primary, and its path is `/`; a lone micro is primary without saying so.
    private func choosePrimary(_ micros: inout [MicroEntry], allRead: Bool, in field: YAMLField) {
        let primaries = micros.indices.filter { micros[$0].micro.primary }
        if primaries.count > 1 {
            let names = primaries.map { "`\(micros[$0].micro.name)`" }.joined(separator: ", ")
            micros[primaries[1]].fields["primary"]?.report("multiple primary micros present: \(names)")
        } else if primaries.isEmpty, micros.count == 1, allRead {
            micros[0].micro.primary = true
        } else if primaries.isEmpty, allRead {
            field.report("no primary micro present; set `primary: true` on one of them")
        }
        for index in micros.indices where micros[index].micro.primary { micros[index].micro.path = "/" }
    }

    private func checkPaths(_ micros: [MicroEntry]) {
        var owners: [String: String] = [:]
        for entry in micros {
            let path = entry.micro.path
            if let owner = owners[path] {
                (entry.fields["path"] ?? entry.fields.field).report(
                    "micro `\(entry.micro.name)` has the same path \(path) as micro `\(owner)`")
            } else {
                owners[path] = entry.micro.name
            }
        }
    }

    private func checkActionIDs(_ micros: [MicroEntry]) {
        var owners: [String: String] = [:]
        for entry in micros {
            for (action, field) in zip(entry.micro.actions, entry.actionFields) {
                if let owner = owners[action.id] {
                    log.add("duplicate action id `\(action.id)` (also in micro `\(owner)`)", field: field.path(of: "id"), line: field.line)
                } else {
                    owners[action.id] = entry.micro.name
                }
            }
        }
    }

    private func checkSources(_ micros: [MicroEntry], in directory: URL) {
        for entry in micros {
            var isDirectory: ObjCBool = false
            let path = directory.appendingPathComponent(entry.micro.src, isDirectory: true).path
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) || !isDirectory.boolValue {
                entry.fields["src"]?.report("micro `\(entry.micro.name)` src \(quoted(entry.micro.src)) is not a directory in the app")
            }
        }
    }
}
