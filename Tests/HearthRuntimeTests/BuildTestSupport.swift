import Foundation
import HearthCore
import HearthTesting
import Synchronization

@testable import HearthRuntime

/// Progress that remembers what it was told.
final class RecordingProgress: BuildProgress {
    private let lines = Mutex<(steps: [String], output: [String])>(([], []))

    var steps: [String] { lines.withLock { $0.steps } }
    var output: [String] { lines.withLock { $0.output } }

    func step(_ text: String) { lines.withLock { $0.steps.append(text) } }
    func output(_ line: String) { lines.withLock { $0.output.append(line) } }
}

/// An app directory, an instance directory and a builder, all in one temporary directory.
struct BuildFixture {
    let root: URL
    let source: URL
    let layout: InstanceLayout
    let builder: Builder
    let progress = RecordingProgress()

    init(root: URL, tools configure: (inout BuildTools) -> Void = { _ in }) {
        self.root = root
        source = root.appendingPathComponent("app-source", isDirectory: true)
        layout = InstanceLayout(directory: root.appendingPathComponent("instance", isDirectory: true))
        var tools = BuildTools(
            sdkDirectory: root.appendingPathComponent("sdk"), cacheDirectory: root.appendingPathComponent("cache"),
            environment: ["npm_config_registry": "http://127.0.0.1:9", "npm_config_fetch_retries": "0"],
            installTimeout: .seconds(60), commandTimeout: .seconds(30))
        configure(&tools)
        builder = Builder(tools: tools)
        try? FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
    }

    /// Writes files below the app's source directory (parents created).
    func write(_ files: [String: String]) throws {
        for (path, text) in files { try write(path, Data(text.utf8)) }
    }

    func write(_ path: String, _ data: Data) throws {
        let file = source.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
    }

    func link(_ path: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(
            atPath: source.appendingPathComponent(path).path, withDestinationPath: destination)
    }

    /// Stages the app and builds `micro` in it.
    func stageAndBuild(_ micro: Micro) async throws {
        try builder.stage(source: source, into: layout, progress: progress)
        try await builder.build(micro, in: layout, progress: progress)
    }

    func appFile(_ path: String) -> URL { layout.app.appendingPathComponent(path) }

    func exists(_ path: String) -> Bool {
        FileTree.kind(atPath: layout.app.appendingPathComponent(path).path) != nil
    }

    /// Removes the read-only app so that the temporary directory can go.
    func cleanUp() { try? builder.removeApp(from: layout) }
}

/// Runs `body` with a fresh fixture in a temporary directory.
func withBuildFixture(
    tools: @escaping (inout BuildTools) -> Void = { _ in }, _ body: (BuildFixture) async throws -> Void
) async throws {
    try await withTemporaryDirectory { root in
        let fixture = BuildFixture(root: root, tools: tools)
        defer { fixture.cleanUp() }
        try await body(fixture)
    }
}

/// The error `body` throws, if it is a `BuildError`.
func buildError(_ body: () async throws -> Void) async -> BuildError? {
    do {
        try await body()
        return nil
    } catch let error as BuildError {
        return error
    } catch {
        return nil
    }
}
