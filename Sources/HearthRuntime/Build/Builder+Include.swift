import Foundation
import HearthCore

extension Builder {
    /// Applies `include` (spec §4.3): a micro that lists paths keeps only those in its `src`
    /// (a directory with everything below it) once its `commands` have run. A `src` another
    /// micro uses without `include` is left whole, and the app's `Spacefile` always stays.
    func applyIncludes(_ spacefile: Spacefile, in layout: InstanceLayout, progress: any BuildProgress) throws(BuildError) {
        for micro in spacefile.micros {
            guard let include = micro.include, let source = AppPaths.source(of: micro, in: layout.app) else { continue }
            let sharing = spacefile.micros.filter {
                $0.name != micro.name && $0.include == nil && AppPaths.source(of: $0, in: layout.app) == source
            }
            if !sharing.isEmpty {
                let names = sharing.map(\.name).joined(separator: ", ")
                progress.step("Keeping all of \(micro.name)'s src: \(names) uses it too, without include")
                continue
            }
            let kept = Set(include.map(Self.cleanRelative).filter { !$0.isEmpty })
            let spacefile = source.path == layout.app.path ? "Spacefile" : nil
            let removed = try prune(source.path, relative: "", keeping: kept.union(spacefile.map { [$0] } ?? []))
            progress.step("Packaged only the included paths of \(micro.name) (left out \(removed) entries)")
        }
    }

    /// Removes what under `directory` is neither kept nor on the way to something kept; returns how many entries went.
    private func prune(_ directory: String, relative: String, keeping kept: Set<String>) throws(BuildError) -> Int {
        var removed = 0
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in entries {
            let path = relative.isEmpty ? name : "\(relative)/\(name)"
            let full = "\(directory)/\(name)"
            if kept.contains(path) { continue }
            if kept.contains(where: { $0.hasPrefix(path + "/") }), FileTree.kind(atPath: full) == .directory {
                removed += try prune(full, relative: path, keeping: kept)
            } else {
                try FileTree.remove(full)
                removed += 1
            }
        }
        return removed
    }

    /// `./dist/` → `dist`.
    static func cleanRelative(_ path: String) -> String {
        path.split(separator: "/").filter { $0 != "." && !$0.isEmpty }.joined(separator: "/")
    }
}
