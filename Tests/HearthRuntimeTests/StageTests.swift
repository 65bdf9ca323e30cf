import Foundation
import HearthCore
import HearthTesting
import Testing

@testable import HearthRuntime

@Suite struct StageTests {
    @Test func leavesOutIgnoredPathsAndHonoursSpaceignore() async throws {
        try await withBuildFixture { fixture in
            try fixture.write([
                "Spacefile": "v: 0\n", "main.py": "app = None\n", ".env": "SECRET=1\n", ".git/config": "[core]\n",
                "api/__pycache__/main.cpython-311.pyc": "x", "web/dist/index.html": "<p>", "web/build/a.js": "",
                "node_modules/left-pad/index.js": "module.exports = 1\n", "docs/guide.md": "# Guide\n",
                "docs/keep.md": "# Keep\n", "notes/todo.txt": "", "todo.txt": "", "server.log": "",
                ".spaceignore": "docs/*.md\n!docs/keep.md\n/todo.txt\n*.log\n!dist\nSpacefile\n",
            ])
            try fixture.builder.stage(source: fixture.source, into: fixture.layout, progress: fixture.progress)

            let kept = ["Spacefile", "main.py", "node_modules/left-pad/index.js", "docs/keep.md", "notes/todo.txt", "web/dist/index.html"]
            for path in kept { #expect(fixture.exists(path), "\(path) should be copied") }
            let left = [".env", ".git", "api/__pycache__", "web/build", "docs/guide.md", "todo.txt", "server.log", ".spaceignore"]
            for path in left { #expect(!fixture.exists(path), "\(path) should be left out") }
            #expect(try String(contentsOf: fixture.appFile("main.py"), encoding: .utf8) == "app = None\n")
            #expect(fixture.progress.steps.contains { $0.hasPrefix("Copied 6 files") })
            let log = try String(contentsOf: fixture.layout.buildLog, encoding: .utf8)
            #expect(log.contains("==> Copied 6 files"))
        }
    }

    @Test func keepsTheRootDiscoveryFileForReleases() async throws {
        try await withBuildFixture { fixture in
            try fixture.write([
                "Spacefile": "v: 0\n", "Discovery.md": "---\napp_name: Notes\n---\n", "docs/Discovery.md": "",
                ".spaceignore": "Discovery.md\n",
            ])
            try fixture.builder.stage(source: fixture.source, into: fixture.layout, progress: fixture.progress)
            #expect(fixture.exists("Discovery.md"))
            #expect(!fixture.exists("docs/Discovery.md"))
        }
    }

    @Test func keepsSymlinksInsideTheAppAndSkipsOnesLeadingOut() async throws {
        try await withBuildFixture { fixture in
            try fixture.write(["main.py": "", "lib/util.py": "", "node_modules/tool/bin/run.js": ""])
            let outside = fixture.root.appendingPathComponent("outside")
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
            try Data("secret".utf8).write(to: outside.appendingPathComponent("secret.txt"))
            try fixture.link("alias.py", to: "main.py")
            try fixture.link("node_modules/.bin", to: "tool/bin")
            try fixture.link("absolute-inside.py", to: fixture.source.appendingPathComponent("lib/util.py").path)
            try fixture.link("passwd", to: "/etc/passwd")
            try fixture.link("escape", to: "../outside")
            try fixture.link("dangling", to: "missing")
            try fixture.builder.stage(source: fixture.source, into: fixture.layout, progress: fixture.progress)

            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: fixture.appFile("alias.py").path) == "main.py")
            #expect(FileTree.realPath(fixture.appFile("absolute-inside.py").path) == FileTree.realPath(fixture.appFile("lib/util.py").path))
            #expect(FileTree.followedKind(atPath: fixture.appFile("node_modules/.bin/run.js").path) == .file)
            for path in ["passwd", "escape", "dangling"] { #expect(!fixture.exists(path), "\(path)") }
            #expect(fixture.progress.steps.contains { $0.contains("left out 3 symlinks") })
        }
    }

    @Test func finishMakesTheCopyReadOnly() async throws {
        try await withBuildFixture { fixture in
            try fixture.write(["main.py": "", "pkg/mod.py": ""])
            try fixture.builder.stage(source: fixture.source, into: fixture.layout, progress: fixture.progress)
            try fixture.builder.finish(fixture.layout)
            for path in ["", "main.py", "pkg", "pkg/mod.py"] {
                let mode = try FileManager.default.attributesOfItem(atPath: fixture.appFile(path).path)[.posixPermissions] as? Int
                #expect(mode.map { $0 & 0o222 } == 0, "\(path) is writable: \(String(mode ?? 0, radix: 8))")
            }
        }
    }

    @Test func restagingReplacesTheWholeCopy() async throws {
        try await withBuildFixture { fixture in
            try fixture.write(["old.py": "", "main.py": "v1"])
            try fixture.builder.stage(source: fixture.source, into: fixture.layout, progress: fixture.progress)
            try fixture.builder.finish(fixture.layout)
            try FileManager.default.removeItem(at: fixture.source.appendingPathComponent("old.py"))
            try fixture.write(["main.py": "v2"])
            try fixture.builder.stage(source: fixture.source, into: fixture.layout, progress: fixture.progress)

            #expect(!fixture.exists("old.py"))
            #expect(try String(contentsOf: fixture.appFile("main.py"), encoding: .utf8) == "v2")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.layout.directory.path)
            #expect(!leftovers.contains("app.new") && !leftovers.contains("app.old"))
        }
    }

    @Test func neverCopiesTheInstanceDirectoryIntoItself() async throws {
        try await withTemporaryDirectory { root in
            let fixture = BuildFixture(root: root)
            defer { fixture.cleanUp() }
            try fixture.write(["main.py": ""])
            let nested = InstanceLayout(directory: fixture.source.appendingPathComponent("data/instance"))
            try fixture.builder.stage(source: fixture.source, into: nested, progress: fixture.progress)
            try fixture.builder.stage(source: fixture.source, into: nested, progress: fixture.progress)
            #expect(FileTree.kind(atPath: nested.app.appendingPathComponent("main.py").path) == .file)
            #expect(FileTree.kind(atPath: nested.app.appendingPathComponent("data/instance").path) == nil)
            try fixture.builder.removeApp(from: nested)
        }
    }

    @Test func aMissingSourceIsASourceError() async throws {
        try await withBuildFixture { fixture in
            let missing = fixture.root.appendingPathComponent("nope")
            let error = await buildError { try fixture.builder.stage(source: missing, into: fixture.layout, progress: fixture.progress) }
            #expect(error?.code == BuildError.source)
        }
    }
}
