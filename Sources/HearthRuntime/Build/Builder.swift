import Foundation
import HearthCore

/// Builds apps into instance directories, in three steps: `stage` copies the app into
/// `app/`, `build` prepares each micro (dependencies, `commands`) while that copy is still
/// writable, `finish` makes it read-only. `buildApp` runs all three. `launch` then says how to
/// start a micro, at every start, without building again.
///
/// Everything reported is also appended to the instance's build log.
///
/// TODO(security): build tools and `commands` run unsandboxed, with the node's user and
/// network; the sandbox will wrap them as it wraps micros.
public struct Builder: Sendable {
    public let tools: BuildTools

    public init(tools: BuildTools) {
        self.tools = tools
    }

    /// Stages, builds every micro, keeps only what `include` names, and finishes: the whole
    /// pipeline for an install or update.
    public func buildApp(
        _ spacefile: Spacefile, source: URL, into layout: InstanceLayout, progress: any BuildProgress
    ) async throws(BuildError) {
        try stage(source: source, into: layout, progress: progress)
        for micro in spacefile.micros {
            try await build(micro, in: layout, progress: progress)
        }
        try applyIncludes(spacefile, in: layout, progress: LoggedProgress(forwarded: progress, log: BuildLogFile(layout.buildLog)))
        try finish(layout)
    }

    /// Copies the app (the directory holding the Spacefile) into `layout.app`, leaving out
    /// Deta's default ignore list (but keeping `node_modules`), what `.spaceignore` names, and
    /// symlinks leading outside the app. The copy is built in `app.new` and then swapped in.
    /// It stays writable for `build`; `finish` makes it read-only.
    public func stage(source: URL, into layout: InstanceLayout, progress: any BuildProgress) throws(BuildError) {
        let progress = LoggedProgress(forwarded: progress, log: .startingBuild(layout.buildLog))
        guard let sourcePath = FileTree.realPath(source.path), FileTree.kind(atPath: sourcePath) == .directory else {
            throw BuildError(BuildError.source, "The app's directory does not exist")
        }
        let rules = try IgnoreRules.spaceDefaults.appending(readSpaceIgnore(in: sourcePath))
        try withStorageErrors("Could not create the instance directory") {
            try FileManager.default.createDirectory(at: layout.code, withIntermediateDirectories: true)
        }
        let staging = layout.code.appendingPathComponent("app.new").path
        try FileTree.remove(staging)
        progress.step("Copying the app…")
        var copier = AppCopier(
            source: sourcePath, destination: staging, rules: rules, excluded: FileTree.realPath(layout.directory.path))
        try copier.copy()
        let skipped = copier.skippedLinks == 0 ? "" : "; left out \(copier.skippedLinks) symlinks leading outside the app"
        progress.step("Copied \(copier.fileCount) files (\(Self.describe(bytes: copier.byteCount)))\(skipped)")
        try replaceApp(in: layout, with: staging)
        try withStorageErrors("Could not record the staged copy") {
            try FileManager.default.createDirectory(
                at: Self.stageRecord(layout).deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(UUID().uuidString.utf8).write(to: Self.stageRecord(layout), options: .atomic)
        }
    }

    /// Builds one micro in the staged app: its Python environment (kept in `layout.build(micro:)`
    /// and reused while the interpreter and requirements are the same), npm packages if none
    /// are committed, then its `commands` in `<app>/<src>`. Work already done for the same
    /// staged copy is skipped.
    public func build(_ micro: Micro, in layout: InstanceLayout, progress: any BuildProgress) async throws(BuildError) {
        let progress = LoggedProgress(forwarded: progress, log: BuildLogFile(layout.buildLog))
        do throws(BuildError) {
            guard let stageID = try? String(contentsOf: Self.stageRecord(layout), encoding: .utf8) else {
                throw BuildError(BuildError.source, "The app has not been staged for this instance")
            }
            guard let source = AppPaths.source(of: micro, in: layout.app) else {
                throw BuildError(BuildError.source, "The src of micro \(micro.name), `\(micro.src)`, leads outside the app")
            }
            guard FileTree.followedKind(atPath: source.path) == .directory else {
                throw BuildError(BuildError.source, "The src of micro \(micro.name), `\(micro.src)`, does not exist")
            }
            let build = MicroBuild(micro: micro, layout: layout, tools: tools, progress: progress, sourceDirectory: source)
            try await build.perform(stageID: stageID)
        } catch {
            progress.log.append("==> The build of \(micro.name) failed: \(error.message)")
            throw error
        }
    }

    /// Makes the staged app read-only (`chmod a-w` on every file and directory); call it once
    /// every micro is built.
    public func finish(_ layout: InstanceLayout) throws(BuildError) {
        try FileTree.makeReadOnly(layout.app.path)
    }

    /// Removes the deployment's app copies and build outputs (a read-only `app/` cannot be
    /// deleted as is); a deployment other than the instance directory goes entirely.
    public func removeApp(from layout: InstanceLayout) throws(BuildError) {
        for name in ["app", "app.new", "app.old", "build"] {
            try FileTree.remove(layout.code.appendingPathComponent(name).path)
        }
        if !layout.deployment.isEmpty { try FileTree.remove(layout.code.path) }
    }

    /// Removes every deployment of the instance, before its directory is deleted.
    public func removeAllApps(from layout: InstanceLayout) throws(BuildError) {
        try removeApp(from: layout.with(deployment: ""))
        try FileTree.remove(layout.directory.appendingPathComponent("deployments").path)
    }

    /// Swaps a fully copied `app.new` in for `app`.
    private func replaceApp(in layout: InstanceLayout, with staging: String) throws(BuildError) {
        let old = layout.code.appendingPathComponent("app.old").path
        try FileTree.remove(old)
        try withStorageErrors("Could not put the new copy of the app in place") {
            if FileTree.kind(atPath: layout.app.path) != nil { try FileManager.default.moveItem(atPath: layout.app.path, toPath: old) }
            try FileManager.default.moveItem(atPath: staging, toPath: layout.app.path)
        }
        try FileTree.remove(old)
    }

    func readSpaceIgnore(in sourcePath: String) throws(BuildError) -> IgnoreRules {
        let path = sourcePath + "/.spaceignore"
        guard FileTree.kind(atPath: path) == .file else { return IgnoreRules([String]()) }
        let bytes = try withStorageErrors("Could not read .spaceignore") { try Data(contentsOf: URL(fileURLWithPath: path)) }
        return IgnoreRules(bytes.decodedText.split(whereSeparator: \.isNewline))
    }

    /// A file, in the build directory all micros share, naming the staged copy (a new id per `stage`).
    static func stageRecord(_ layout: InstanceLayout) -> URL {
        layout.build(micro: "x").deletingLastPathComponent().appendingPathComponent(".stage")
    }

    static func describe(bytes: Int64) -> String {
        let units = ["bytes", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) bytes" : "\(String(format: "%.1f", value)) \(units[unit])"
    }
}
