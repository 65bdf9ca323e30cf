import Foundation
import HearthCore
import Testing

@testable import HearthRuntime

/// `include` (spec §4.3): only the listed paths of a micro's src go into the installed app.
@Suite struct IncludeTests {
    @Test func onlyIncludedPathsStayAfterTheCommandsRan() async throws {
        try await withBuildFixture { fixture in
            try fixture.write(["main.c": "int main(){}", "notes.txt": "x", "assets/a.css": "a", "assets/b.css": "b", "docs/x.md": "x"])
            let micro = Micro(
                name: "tiny", src: ".", engine: .custom, primary: true, commands: ["cp main.c built-binary"],
                include: ["built-binary", "./assets/a.css"], run: "./built-binary")
            try await fixture.builder.buildApp(
                Spacefile(micros: [micro]), source: fixture.source, into: fixture.layout, progress: fixture.progress)
            #expect(fixture.exists("built-binary"))
            #expect(fixture.exists("assets/a.css"))
            #expect(
                fixture.exists("Spacefile")
                    == FileManager.default.fileExists(atPath: fixture.source.appendingPathComponent("Spacefile").path))
            for gone in ["main.c", "notes.txt", "assets/b.css", "docs"] { #expect(!fixture.exists(gone), "\(gone)") }
            #expect(fixture.progress.steps.contains { $0.contains("Packaged only the included paths of tiny") })
        }
    }

    @Test func aSrcSharedWithAMicroWithoutIncludeStaysWhole() async throws {
        try await withBuildFixture { fixture in
            try fixture.write(["server.py": "", "other.py": ""])
            let first = Micro(name: "a", src: ".", engine: .custom, primary: true, include: ["server.py"], run: "true")
            let second = Micro(name: "b", src: ".", engine: .custom, path: "/b", run: "true")
            try await fixture.builder.buildApp(
                Spacefile(micros: [first, second]), source: fixture.source, into: fixture.layout, progress: fixture.progress)
            #expect(fixture.exists("other.py"))
            #expect(fixture.progress.steps.contains { $0.contains("b uses it too") })
        }
    }
}
