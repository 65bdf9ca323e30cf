import Foundation
import HearthCore
import HearthTesting
import Testing

@Suite struct SpacefileTests {
    static let canonical = """
        # Spacefile Docs: https://go.deta.dev/docs/spacefile/v0
        v: 0
        icon: ./icon.png
        auto_pwa: true
        micros:
          - name: frontend
            src: ./frontend
            engine: svelte
            primary: true
            dev: npm run dev
          - name: api
            src: ./api
            engine: python3.9
            path: api                # served at /api, micro sees paths without /api
            run: uvicorn main:app
            dev: .venv/bin/uvicorn main:app --reload
            public_routes: ["/public/*", "/health"]
            presets:
              api_keys: true
              env:
                - name: OPENAI_KEY
                  description: Your OpenAI API key
                  default: ""
            actions:
              - id: cleanup
                name: Clean Up
                description: Deletes done todos
                trigger: schedule
                default_interval: "0/15 * * * *"
        """

    @Test func theCanonicalExampleParsesToTheModel() throws {
        let expected = Spacefile(
            version: 0, icon: "./icon.png", autoPWA: true,
            micros: [
                Micro(name: "frontend", src: "./frontend", engine: .svelte, primary: true, path: "/", dev: "npm run dev"),
                Micro(
                    name: "api", src: "./api", engine: .python39, path: "/api", run: "uvicorn main:app",
                    dev: ".venv/bin/uvicorn main:app --reload",
                    presets: Presets(
                        env: [EnvPreset(name: "OPENAI_KEY", description: "Your OpenAI API key", defaultValue: "")], apiKeys: true),
                    publicRoutes: ["/public/*", "/health"],
                    actions: [
                        ScheduledAction(
                            id: "cleanup", name: "Clean Up", description: "Deletes done todos",
                            schedule: try Schedule(parsing: "0/15 * * * *"))
                    ]),
            ])
        let spacefile = try Spacefile.parse(Self.canonical)
        #expect(spacefile == expected)
        #expect(spacefile.primary.name == "frontend")
        guard case .cron(let cron) = spacefile.micros[1].actions[0].schedule else {
            Issue.record("expected a cron schedule")
            return
        }
        #expect(cron.minute.values == [0, 15, 30, 45])
    }

    @Test func aLoneMicroIsPrimaryAndDefaultsApply() throws {
        let spacefile = try Spacefile.parse("v: 0\nmicros:\n  - name: app\n    src: .\n    engine: nodejs16\n")
        #expect(spacefile.micros == [Micro(name: "app", src: ".", engine: .nodejs16, primary: true, path: "/")])
        #expect(spacefile.autoPWA)
        #expect(spacefile.icon == nil && spacefile.appName == nil)
    }

    @Test func versionOneAndOptionalTopLevelFieldsAreAccepted() throws {
        let spacefile = try Spacefile.parse(
            "v: 1\napp_name: Twelve chars\nauto_pwa: false\nmicros:\n  - {name: a, src: a, engine: static, serve: dist}\n")
        #expect(spacefile.version == 1)
        #expect(spacefile.appName == "Twelve chars")
        #expect(!spacefile.autoPWA)
        #expect(spacefile.micros[0].serve == "dist")
    }

    @Test(arguments: [
        ("api", "/api"), ("/api", "/api"), ("api/", "/api"), ("/api//", "/api"), ("v1/api", "/v1/api"),
    ])
    func nonPrimaryPathsAreNormalised(written: String, normalised: String) throws {
        let spacefile = try Spacefile.parse(twoMicros(second: "    path: \(written)\n"))
        #expect(spacefile.micros.map(\.path) == ["/", normalised])
    }

    @Test func pathsDefaultToTheNameAndThePrimaryPathIsAlwaysTheRoot() throws {
        let spacefile = try Spacefile.parse(twoMicros(first: "    path: ignored\n", second: ""))
        #expect(spacefile.micros.map(\.path) == ["/", "/api"])
        #expect(spacefile.micros.map(\.primary) == [true, false])
    }

    @Test(arguments: [("nodejs14", Engine.nodejs16), ("nodejs14.x", .nodejs16), ("nodejs16.x", .nodejs16), ("svelte-kit", .svelteKit)])
    func engineAliasesAreAccepted(name: String, engine: Engine) throws {
        let spacefile = try Spacefile.parse("v: 0\nmicros:\n  - name: app\n    src: .\n    engine: \(name)\n")
        #expect(spacefile.micros[0].engine == engine)
    }

    @Test func publicTrueMeansEveryRoute() throws {
        let spacefile = try Spacefile.parse(twoMicros(second: "    public: true\n"))
        #expect(spacefile.micros[1].publicRoutes == ["/*"])
        #expect(spacefile.micros[0].publicRoutes == [])
    }

    @Test func aliasesAndFlowStyleAreRead() throws {
        let spacefile = try Spacefile.parse(
            """
            v: 0
            micros:
              - name: a
                src: a
                engine: python3.8
                primary: true
                commands: &build [pip install -r requirements.txt, make]
              - {name: b, src: b, engine: python3.8, commands: *build, provide_actions: true}
            """)
        #expect(spacefile.micros[1].commands == ["pip install -r requirements.txt", "make"])
        #expect(spacefile.micros[1].provideActions)
    }

    @Test func loadingChecksTheSourceDirectoriesOfEveryMicro() async throws {
        try await withTemporaryDirectory { directory in
            try twoMicros(second: "").write(to: directory.appendingPathComponent("Spacefile"), atomically: true, encoding: .utf8)
            let error = #expect(throws: SpacefileError.self) { try Spacefile.load(directory: directory) }
            #expect(error?.code == SpacefileError.invalid)
            #expect(
                error?.description == """
                    micros[0].src (line 4): micro `web` src "web" is not a directory in the app
                    micros[1].src (line 9): micro `api` src "api" is not a directory in the app
                    """)
            for name in ["web", "api"] {
                try FileManager.default.createDirectory(at: directory.appendingPathComponent(name), withIntermediateDirectories: true)
            }
            #expect(try Spacefile.load(directory: directory).micros.count == 2)
        }
    }

    @Test func loadingNeedsAFileNamedExactlySpacefile() async throws {
        try await withTemporaryDirectory { directory in
            let missing = #expect(throws: SpacefileError.self) { try Spacefile.load(directory: directory) }
            #expect(missing?.code == SpacefileError.notFound)
            #expect(missing?.description == "No Spacefile in \(directory.path)")
            try "v: 0".write(to: directory.appendingPathComponent("spacefile.yml"), atomically: true, encoding: .utf8)
            let nearMiss = #expect(throws: SpacefileError.self) { try Spacefile.load(directory: directory) }
            #expect(nearMiss?.description.contains("found `spacefile.yml`; the name must be exactly `Spacefile`") == true)
        }
    }

    @Test func loadingRefusesTextThatIsNotUTF8() async throws {
        try await withTemporaryDirectory { directory in
            try Data([0x76, 0x3A, 0xFF, 0xFE]).write(to: directory.appendingPathComponent("Spacefile"))
            let error = #expect(throws: SpacefileError.self) { try Spacefile.load(directory: directory) }
            #expect(error?.code == SpacefileError.unreadable)
        }
    }
}

/// A valid two-micro Spacefile, `web` (primary, static) and `api`, with extra lines for each micro.
func twoMicros(first: String = "", second: String) -> String {
    """
    v: 0
    micros:
      - name: web
        src: web
        engine: static
        serve: dist
        primary: true
    \(first)  - name: api
        src: api
        engine: python3.9
    \(second)
    """
}
