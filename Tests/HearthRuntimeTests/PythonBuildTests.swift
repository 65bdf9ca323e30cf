import Foundation
import HearthCore
import Testing

@testable import HearthRuntime

@Suite struct PythonBuildTests {
    static let api = Micro(name: "api", src: "api", engine: .python39)

    @Test func createsAVenvOnceAndSkipsItWhileTheRequirementsStayTheSame() async throws {
        try await withBuildFixture { fixture in
            try fixture.write(["api/main.py": "app = None\n", "api/requirements.txt": "deta==1.1.0\n"])
            try await fixture.stageAndBuild(Self.api)
            let venv = fixture.layout.build(micro: "api").appendingPathComponent("venv")
            #expect(FileTree.followedKind(atPath: venv.appendingPathComponent("bin/python").path) == .file)
            #expect(fixture.progress.steps.contains { $0.contains("Hearth's deta module") })
            #expect(fixture.exists("api/__pycache__"), "the app is compiled while it is writable")

            let marker = venv.appendingPathComponent("marker")
            try Data().write(to: marker)
            try await fixture.stageAndBuild(Self.api)
            #expect(FileTree.kind(atPath: marker.path) == .file, "the second build must not recreate the venv")
            #expect(fixture.progress.steps.contains("Python dependencies of api are unchanged"))

            try fixture.write(["api/requirements.txt": "deta\n--no-index\n"])
            try await fixture.stageAndBuild(Self.api)
            #expect(FileTree.kind(atPath: marker.path) == nil, "changed requirements make a new venv")
        }
    }

    @Test func commandsRunInsideTheVenvAndOncePerStagedCopy() async throws {
        try await withBuildFixture { fixture in
            try fixture.write(["api/main.py": ""])
            var micro = Self.api
            micro.commands = ["echo \"$VIRTUAL_ENV $(command -v python)\" >> built.txt"]
            try await fixture.stageAndBuild(micro)
            try await fixture.builder.build(micro, in: fixture.layout, progress: fixture.progress)

            let venv = fixture.layout.build(micro: "api").appendingPathComponent("venv").path
            let built = try String(contentsOf: fixture.appFile("api/built.txt"), encoding: .utf8)
            #expect(built == "\(venv) \(venv)/bin/python\n")
            #expect(fixture.progress.steps.contains("api is already built from this copy of the app"))
            #expect(FileTree.followedKind(atPath: venv + "/bin/pip") == .file, "commands get pip")
        }
    }

    @Test func aMissingSrcIsASourceError() async throws {
        try await withBuildFixture { fixture in
            try fixture.write(["main.py": ""])
            let error = await buildError { try await fixture.stageAndBuild(Self.api) }
            #expect(error?.code == BuildError.source)
            #expect(error?.message.contains("api") == true)
        }
    }

    @Test func aMissingPythonIsReportedWithHowToInstallIt() async throws {
        try await withBuildFixture(tools: { $0.python = "/nonexistent/python3" }) { fixture in
            try fixture.write(["api/main.py": ""])
            let error = await buildError { try await fixture.stageAndBuild(Self.api) }
            #expect(error?.code == BuildError.toolMissing)
            #expect(error?.message.contains("python3-venv") == true)
        }
    }
}
