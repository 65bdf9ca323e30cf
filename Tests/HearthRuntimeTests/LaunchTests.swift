import Foundation
import HearthCore
import Testing

@testable import HearthRuntime

@Suite struct LaunchTests {
    @Test func pythonWithoutRunStartsHearthServeInTheVenv() async throws {
        try await withBuildFixture { fixture in
            let micro = Micro(name: "api", src: "api", engine: .python38)
            let venv = fixture.layout.build(micro: "api").appendingPathComponent("venv").path
            let launch = fixture.builder.launch(for: micro, in: fixture.layout)
            let expected = MicroLaunch.process(
                arguments: [venv + "/bin/python", "-m", "hearth_serve", "main:app", "--host", "127.0.0.1"],
                environment: [
                    "PATH": "\(venv)/bin", "VIRTUAL_ENV": venv, "PYTHONUNBUFFERED": "1",
                    "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": fixture.root.appendingPathComponent("sdk").path,
                ],
                workingDirectory: fixture.layout.app.appendingPathComponent("api", isDirectory: true))
            #expect(launch == expected)
        }
    }

    @Test func runGoesThroughTheShellWithTheBuildsVariables() async throws {
        try await withBuildFixture { fixture in
            let micro = Micro(name: "api", src: ".", engine: .python39, run: "uvicorn main:app")
            guard case .process(let arguments, let environment, let directory) = fixture.builder.launch(for: micro, in: fixture.layout)
            else {
                Issue.record("expected a process")
                return
            }
            #expect(arguments == ["/bin/sh", "-c", "uvicorn main:app"])
            #expect(environment["PATH"] == fixture.layout.build(micro: "api").path + "/venv/bin")
            #expect(environment["PORT"] == nil, "the supervisor adds PORT")
            #expect(directory.path == fixture.layout.app.path)
        }
    }

    @Test func nodePrefersTheBuiltServerThenIndexThenNpmStart() async throws {
        try await withBuildFixture { fixture in
            try FileManager.default.createDirectory(at: fixture.layout.app, withIntermediateDirectories: true)
            func write(_ path: String, _ text: String = "") throws {
                let file = fixture.appFile(path)
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: file)
            }
            func arguments(_ micro: Micro) -> [String] {
                guard case .process(let arguments, _, _) = fixture.builder.launch(for: micro, in: fixture.layout) else { return [] }
                return Array(arguments.dropFirst())
            }
            let node = fixture.builder.tools.executable("node")
            try #require(node != nil, "node is installed on test machines")
            try write("next/.next/standalone/server.js")
            try write("next/index.js")
            try write("plain/index.js")
            try write("scripted/package.json", #"{"scripts": {"start": "node server.js"}}"#)
            try write("bare/package.json", #"{"name": "bare"}"#)

            #expect(arguments(Micro(name: "n", src: "next", engine: .next)) == [".next/standalone/server.js"])
            #expect(arguments(Micro(name: "p", src: "plain", engine: .nodejs16)) == ["index.js"])
            #expect(arguments(Micro(name: "s", src: "scripted", engine: .nodejs16)) == ["start"])
            let bare = fixture.builder.launch(for: Micro(name: "b", src: "bare", engine: .nuxt), in: fixture.layout)
            guard case .process(let failing, _, _) = bare else {
                Issue.record("expected a process")
                return
            }
            #expect(failing[0] == "/bin/sh" && failing[2].contains("has no start command") && failing[2].hasSuffix("exit 1"))
            guard
                case .process(let plain, let environment, _) = fixture.builder.launch(
                    for: Micro(name: "p", src: "plain", engine: .nodejs16), in: fixture.layout)
            else { return }
            #expect(plain[0] == node)
            #expect(environment["PATH"]?.hasPrefix(fixture.appFile("plain/node_modules/.bin").path + ":") == true)
            #expect(environment["PATH"]?.hasSuffix((node! as NSString).deletingLastPathComponent) == true)
        }
    }

    @Test func customWithoutRunFailsClearlyAndStaticEnginesServeFiles() async throws {
        try await withBuildFixture { fixture in
            let custom = fixture.builder.launch(for: Micro(name: "bin", src: "bin", engine: .custom), in: fixture.layout)
            guard case .process(let arguments, _, _) = custom else {
                Issue.record("expected a process")
                return
            }
            #expect(arguments[2].contains("give it a `run`"))

            let app = fixture.layout.app
            let site = Micro(name: "site", src: "site", engine: .staticSite, serve: "public/")
            #expect(
                fixture.builder.launch(for: site, in: fixture.layout)
                    == .staticSite(root: app.appendingPathComponent("site/public", isDirectory: true), spaFallback: true))
            try FileManager.default.createDirectory(
                at: app.appendingPathComponent("web/build", isDirectory: true), withIntermediateDirectories: true)
            #expect(
                fixture.builder.launch(for: Micro(name: "web", src: "web", engine: .react), in: fixture.layout)
                    == .staticSite(root: app.appendingPathComponent("web/build", isDirectory: true), spaFallback: true))
            #expect(
                fixture.builder.launch(for: Micro(name: "vue", src: "vue", engine: .vue), in: fixture.layout)
                    == .staticSite(root: app.appendingPathComponent("vue/build", isDirectory: true), spaFallback: true))
        }
    }

    @Test func aMissingNodeMakesALaunchThatSaysSo() async throws {
        try await withBuildFixture(tools: { $0.node = "/nonexistent/node" }) { fixture in
            let index = fixture.appFile("web/index.js")
            try FileManager.default.createDirectory(at: index.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data().write(to: index)
            guard
                case .process(let arguments, _, _) = fixture.builder.launch(
                    for: Micro(name: "web", src: "web", engine: .nodejs16), in: fixture.layout)
            else {
                Issue.record("expected a process")
                return
            }
            #expect(arguments[0] == "/bin/sh" && arguments[2].contains("/nonexistent/node is not installed"))
        }
    }

    @Test func aSrcLeadingOutOfTheAppNeverLaunches() async throws {
        try await withBuildFixture { fixture in
            let micro = Micro(name: "evil", src: "../..", engine: .custom, run: "cat /etc/passwd")
            guard case .process(let arguments, _, _) = fixture.builder.launch(for: micro, in: fixture.layout) else {
                Issue.record("expected a process")
                return
            }
            #expect(arguments[2].contains("leads outside the app"))
        }
    }
}
