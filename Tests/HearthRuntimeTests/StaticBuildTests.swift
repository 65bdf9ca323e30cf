import Foundation
import HearthCore
import Testing

@testable import HearthRuntime

@Suite struct StaticBuildTests {
    @Test func aFrontendBuiltByItsCommandsIsServedFromDist() async throws {
        try await withBuildFixture { fixture in
            try fixture.write(["frontend/src/App.svelte": "<p>hi</p>"])
            let micro = Micro(
                name: "frontend", src: "frontend", engine: .svelte, primary: true,
                commands: ["mkdir -p dist && cp src/App.svelte dist/index.html"])
            try await fixture.stageAndBuild(micro)
            let root = fixture.layout.app.appendingPathComponent("frontend/dist", isDirectory: true)
            #expect(fixture.builder.launch(for: micro, in: fixture.layout) == .staticSite(root: root, spaFallback: true))
        }
    }

    @Test func aServeDirectoryMissingAfterTheBuildIsASourceError() async throws {
        try await withBuildFixture { fixture in
            try fixture.write(["site/index.html": ""])
            let micro = Micro(name: "site", src: "site", engine: .staticSite, serve: "public")
            let error = await buildError { try await fixture.stageAndBuild(micro) }
            #expect(error?.code == BuildError.source)
            #expect(error?.message.contains("`public`") == true)
        }
    }

    @Test func aServeDirectoryOutsideTheAppIsRefused() async throws {
        try await withBuildFixture { fixture in
            try fixture.write(["site/index.html": ""])
            for serve in ["../../..", "/etc", "public/../../../x"] {
                let micro = Micro(name: "site", src: "site", engine: .staticSite, serve: serve)
                let error = await buildError { try await fixture.stageAndBuild(micro) }
                #expect(error?.code == BuildError.source, "\(serve)")
                #expect(error?.message.contains("outside the app") == true, "\(serve)")
                guard case .process = fixture.builder.launch(for: micro, in: fixture.layout) else {
                    Issue.record("launch of an escaping serve must not be a static site")
                    continue
                }
            }
        }
    }
}
