import Foundation
import HearthCore
import Testing

@testable import HearthRuntime

@Suite struct NodeBuildTests {
    static let web = Micro(name: "web", src: "web", engine: .nodejs16)
    static let manifest = #"{"name": "web", "dependencies": {"express": "^4.18.2"}, "devDependencies": {"nodemon": "^3"}}"#

    @Test func withoutNodeModulesAndAnUnreachableRegistryItFailsClearly() async throws {
        try await withBuildFixture { fixture in
            try fixture.write(["web/package.json": Self.manifest, "web/index.js": ""])
            let error = await buildError { try await fixture.stageAndBuild(Self.web) }
            #expect(error?.code == BuildError.commandFailed)
            let message = error?.message ?? ""
            #expect(message.hasPrefix("web needs npm packages (2 dependencies) but none are installed and npm could not fetch them: "))
            #expect(message.hasSuffix("Commit node_modules or make the registry reachable."))
        }
    }

    @Test func committedNodeModulesAreUsedAsTheyAre() async throws {
        try await withBuildFixture { fixture in
            try fixture.write(["web/package.json": Self.manifest, "web/index.js": "", "web/node_modules/express/index.js": ""])
            try await fixture.stageAndBuild(Self.web)
            #expect(fixture.progress.steps.contains("Using the committed node_modules of web (2 dependencies)"))
            #expect(fixture.exists("web/node_modules/express/index.js"))
        }
    }

    @Test func anAppWithoutDependenciesNeedsNothing() async throws {
        try await withBuildFixture { fixture in
            try fixture.write(["web/package.json": #"{"name": "web", "scripts": {"start": "node server.js"}}"#])
            try await fixture.stageAndBuild(Self.web)
            #expect(!fixture.progress.steps.contains { $0.contains("npm") })
        }
    }

    @Test func aBrokenPackageJSONIsASourceError() async throws {
        try await withBuildFixture { fixture in
            try fixture.write(["web/package.json": "{ nope"])
            let error = await buildError { try await fixture.stageAndBuild(Self.web) }
            #expect(error?.code == BuildError.source)
        }
    }

    @Test func aMissingNodeIsReportedWithHowToInstallIt() async throws {
        try await withBuildFixture(tools: { $0.node = "/nonexistent/node" }) { fixture in
            try fixture.write(["web/index.js": ""])
            let error = await buildError { try await fixture.stageAndBuild(Self.web) }
            #expect(error?.code == BuildError.toolMissing)
            #expect(error?.message.contains("apt install nodejs") == true)
        }
    }
}
