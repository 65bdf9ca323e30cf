import ArgumentParser
import Foundation
import HearthCore
import HearthExport
import HearthHTTP
import HearthRegistry
import HearthRuntime

struct AppUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Update an instance to a newer release, or to an app directory; its data stays.",
        discussion: """
            The new version is built beside the running one, which keeps serving; only a \
            successful build replaces it, so a failed update changes nothing. Data, keys, \
            settings and limits stay. The replaced version is kept: `hearth app rollback` returns \
            to it in one step. A release must be of the same app, from the same publisher, and \
            newer than the installed version (--force allows any).
            """)

    @OptionGroup var options: DataOptions
    @Argument(help: "The instance's name or id.")
    var instance: String
    @Argument(help: "A release file (.zip) or URL, or an app directory (holding its Spacefile).")
    var source: String
    @Flag(help: "Update without asking.")
    var yes = false
    @Flag(help: "Allow an older or equal version, another app name or another publisher.")
    var force = false
    @Option(help: ArgumentHelp("A CA certificate (PEM) to trust for an https URL.", valueName: "file"))
    var trustAnchor: String?
    @OptionGroup var output: InstallOutput

    func run() async throws {
        let (registry, info) = try await findInstance(instance, options)
        let layout = options.layout
        let installer = Installer(registry: registry, layout: layout, builder: Builder(tools: .standard(for: layout)))
        let progress = output.progress
        let updated: InstanceInfo
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), isDirectory.boolValue {
            updated = try await failing {
                defer { progress.finish() }
                return try await installer.update(info, source: URL(fileURLWithPath: source), progress: progress)
            }
        } else {
            let work = try WorkDirectory(in: layout, purpose: "update")
            defer { work.remove() }
            let opened = try await OpenedRelease.opening(source, trustAnchor: trustAnchor, work: work.url)
            try check(opened.manifest, against: info)
            FileHandle.standardError.write(Data(opened.summary.text.utf8))
            try confirm(
                "Update '\(info.slug)' from \(info.version) to \(opened.manifest.version)?", yes: yes, declined: "Nothing was changed.")
            let app = try await opened.unpacking(into: work.url.appendingPathComponent("app"))
            updated = try await failing {
                defer { progress.finish() }
                return try await installer.update(
                    info, source: app, version: opened.manifest.version, origin: "release:" + opened.origin,
                    publisher: opened.manifest.publisher.fingerprint, progress: progress)
            }
        }
        let restarted = await NodeControl.restartAfterChange(updated.id, layout: layout)
        if output.json { return try printJSON(updated) }
        print(
            """
            Updated '\(updated.slug)' from \(info.version) to \(updated.version)\(restarted ? "; its micros restart on the next request" : "").
            Return to \(info.version) with `hearth app rollback \(updated.slug)`.
            """)
    }

    /// Refuses a release of another app, from another publisher, or not newer, unless forced.
    private func check(_ manifest: ReleaseManifest, against info: InstanceInfo) throws {
        let problems = ReleaseUpdateCheck.problems(
            manifest, app: info.appName, slug: info.slug, publisher: info.publisher, version: info.version)
        guard !problems.isEmpty, !force else { return }
        let text = problems.map { "error: \($0)\n" }.joined() + "Nothing was changed; pass --force to update anyway.\n"
        FileHandle.standardError.write(Data(text.utf8))
        throw ExitCode(1)
    }
}

struct AppRollback: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Return an instance to the version its last update replaced; its data stays.",
        discussion: "A second rollback undoes the first. Nothing is rebuilt: the replaced version was kept as built.")

    @OptionGroup var options: DataOptions
    @Argument(help: "The instance's name or id.")
    var instance: String
    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let (registry, info) = try await findInstance(instance, options)
        let layout = options.layout
        let installer = Installer(registry: registry, layout: layout, builder: Builder(tools: .standard(for: layout)))
        let rolled = try await failing { try await installer.rollback(info) }
        let restarted = await NodeControl.restartAfterChange(rolled.id, layout: layout)
        if json { return try printJSON(rolled) }
        print(
            "'\(rolled.slug)' is back at \(rolled.version) (from \(info.version))\(restarted ? "; its micros restart on the next request" : ""). "
                + "`hearth app rollback \(rolled.slug)` again returns to \(info.version).")
    }
}
