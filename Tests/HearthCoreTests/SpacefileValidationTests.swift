import HearthCore
import Testing

/// One broken Spacefile and the problem it must report.
struct BrokenSpacefile: Sendable, CustomTestStringConvertible {
    let text: String
    let field: String
    let line: Int?
    let message: String

    init(_ text: String, _ field: String, line: Int?, _ message: String) {
        self.text = text
        self.field = field
        self.line = line
        self.message = message
    }

    var testDescription: String { "\(field): \(message)" }
}

/// A valid one-micro Spacefile with extra lines in its micro (indented four spaces).
func oneMicro(engine: String = "python3.9", _ extra: String = "") -> String {
    "v: 0\nmicros:\n  - name: app\n    src: app\n    engine: \(engine)\n\(extra)"
}

/// A one-micro Spacefile whose micro has a single action with these fields (indented eight spaces).
func oneAction(_ fields: String) -> String {
    oneMicro("    actions:\n      - id: tick\n        name: Tick\n\(fields)")
}

@Suite struct SpacefileValidationTests {
    static let file: [BrokenSpacefile] = [
        .init("", "", line: nil, "the Spacefile is empty"),
        .init("# nothing but a comment\n", "", line: nil, "the Spacefile is empty"),
        .init("---\n# a document with nothing in it\n", "", line: nil, "the Spacefile is empty"),
        .init("- a\n- b\n", "", line: 1, "expected a mapping of fields, found a list"),
        .init("v: 0\nmicros:\n  - name: [app\n", "", line: 4, "invalid YAML"),
        .init("v: 0\nv: 0\nmicros: []\n", "", line: 1, "invalid YAML: duplicate key `v`"),
        .init("micros:\n  - {name: a, src: a, engine: custom, run: ./a}\n", "v", line: 1, "missing required field"),
        .init(oneMicro().replacing("v: 0", with: "v: 2"), "v", line: 1, "unsupported version 2; expected 0"),
        .init(oneMicro().replacing("v: 0", with: "v: \"0\""), "v", line: 1, "expected a whole number, found the string \"0\""),
        .init("v: 0\nfoo: 1\n" + oneMicro().dropFirst(5), "foo", line: 2, "unknown field `foo`"),
        .init("v: 0\napp_name: Thirteen char\n" + oneMicro().dropFirst(5), "app_name", line: 2, "at most 12 characters, found 13"),
        .init("v: 0\nauto_pwa: yes\n" + oneMicro().dropFirst(5), "auto_pwa", line: 2, "expected true or false, found the string \"yes\""),
        .init("v: 0\nicon: 5\n" + oneMicro().dropFirst(5), "icon", line: 2, "expected a string, found the number 5; put it in quotes"),
        .init("v: 0\nicon: /etc/icon.png\n" + oneMicro().dropFirst(5), "icon", line: 2, "relative path that stays inside"),
        .init("v: 0\nmicros: 3\n", "micros", line: 2, "expected a list, found the number 3"),
        .init("v: 0\nmicros: []\n", "micros", line: 2, "must have at least one entry"),
        .init(
            "v: 0\nmicros:\n" + String(repeating: "  - {name: a, src: a, engine: static}\n", count: 6), "micros", line: 2,
            "an app may have at most 5 micros, found 6"),
        .init("v: 0\nmicros:\n  - just text\n", "micros[0]", line: 3, "expected a mapping of fields, found a single value"),
    ]

    static let micro: [BrokenSpacefile] = [
        .init(oneMicro("    foo: bar\n"), "micros[0].foo", line: 6, "unknown field `foo`"),
        .init(oneMicro("    runtime: python3.9\n"), "micros[0].runtime", line: 6, "unknown field `runtime`"),
        .init("v: 0\nmicros:\n  - name: app\n    src: app\n", "micros[0].engine", line: 3, "missing required field"),
        .init("v: 0\nmicros:\n  - engine: static\n    serve: .\n", "micros[0].name", line: 3, "missing required field"),
        .init(oneMicro().replacing("name: app", with: "name: my app"), "micros[0].name", line: 3, "\"my app\" is not a valid micro name"),
        .init(oneMicro().replacing("name: app", with: "name: -app"), "micros[0].name", line: 3, "is not a valid micro name"),
        .init(oneMicro().replacing("name: app", with: "name: 42"), "micros[0].name", line: 3, "expected a string, found the number 42"),
        .init(
            twoMicros(second: "").replacing("python3.9", with: "python3.7"), "micros[1].engine", line: 10,
            "\"python3.7\" is not an engine; expected one of static, react, svelte, vue, next, nuxt, svelte-kit, python3.9"),
        .init(oneMicro(engine: "static"), "micros[0].serve", line: 3, "required for engine static"),
        .init(oneMicro(engine: "custom"), "micros[0].run", line: 3, "required for engine custom"),
        .init(oneMicro("    serve: dist\n"), "micros[0].serve", line: 6, "only allowed for engines static, react, vue and svelte"),
        .init(oneMicro(engine: "react", "    include: [build]\n"), "micros[0].include", line: 6, "not allowed for engine react"),
        .init(oneMicro("    include: [main.py, lib, main.py]\n"), "micros[0].include[2]", line: 6, "\"main.py\" is listed twice"),
        .init(oneMicro("    include: [../secrets]\n"), "micros[0].include[0]", line: 6, "stays inside the micro's src"),
        .init(
            oneMicro().replacing("src: app", with: "src: ../elsewhere"), "micros[0].src", line: 4,
            "\"../elsewhere\" must be a relative path that stays inside the app directory"),
        .init(oneMicro("    commands: []\n"), "micros[0].commands", line: 6, "must have at least one entry"),
        .init(oneMicro("    commands: make\n"), "micros[0].commands", line: 6, "expected a list, found the string \"make\""),
        .init(
            oneMicro("    public: true\n    public_routes: [/x]\n"), "micros[0].public", line: 6,
            "`public` and `public_routes` cannot both be set"),
        .init(oneMicro("    public_routes:\n      - /a\n      - \"\"\n"), "micros[0].public_routes[1]", line: 8, "must not be empty"),
        .init(oneMicro("    public_routes: [/a, /a]\n"), "micros[0].public_routes[1]", line: 6, "\"/a\" is listed twice"),
        .init(oneMicro("    primary: \"yes\"\n"), "micros[0].primary", line: 6, "expected true or false, found the string \"yes\""),
        .init(oneMicro("    provide_actions: 1\n"), "micros[0].provide_actions", line: 6, "expected true or false, found the number 1"),
        .init(oneMicro("    dev:\n"), "micros[0].dev", line: 6, "expected a string, found nothing (null)"),
        .init(oneMicro("    presets:\n      api_keys: \"true\"\n"), "micros[0].presets.api_keys", line: 7, "expected true or false"),
        .init(oneMicro("    presets:\n      secrets: []\n"), "micros[0].presets.secrets", line: 7, "unknown field `secrets`"),
        .init(oneMicro("    presets:\n      env: []\n"), "micros[0].presets.env", line: 7, "must have at least one entry"),
        .init(
            oneMicro("    presets:\n      env:\n        - description: x\n"), "micros[0].presets.env[0].name", line: 8,
            "missing required field"),
        .init(
            oneMicro("    presets:\n      env:\n        - name: PORT\n          default: 8080\n"),
            "micros[0].presets.env[0].default", line: 9, "expected a string, found the number 8080; put it in quotes"),
        .init(oneMicro("    <<: {run: x}\n"), "micros[0].<<", line: 6, "merge keys (`<<`) are not supported"),
    ]

    static let actions: [BrokenSpacefile] = [
        .init(oneMicro("    actions: []\n"), "micros[0].actions", line: 6, "must have at least one entry"),
        .init(oneAction("        trigger: schedule\n"), "micros[0].actions[0].default_interval", line: 7, "missing required field"),
        .init(oneAction("        default_interval: 1 minute\n"), "micros[0].actions[0].trigger", line: 7, "missing required field"),
        .init(
            oneAction("        trigger: webhook\n        default_interval: 1 minute\n"), "micros[0].actions[0].trigger", line: 9,
            "\"webhook\" is not a trigger; expected \"schedule\""),
        .init(
            oneAction("        trigger: schedule\n        default_interval: 1 minute\n        every: day\n"),
            "micros[0].actions[0].every", line: 11, "unknown field `every`"),
        .init(
            oneAction(
                "        trigger: schedule\n        default_interval: 1 minute\n        description: \(String(repeating: "é", count: 143))\n"
            ),
            "micros[0].actions[0].description", line: 11, "must be at most 142 characters, found 143"),
        .init(
            oneAction("        trigger: schedule\n        default_interval: 5 weeks\n"), "micros[0].actions[0].default_interval",
            line: 10, "\"weeks\" is not a unit; expected minute(s), hour(s) or day(s)"),
        .init(
            oneAction("        trigger: schedule\n        default_interval: 0 18 * * mon-fry\n"),
            "micros[0].actions[0].default_interval", line: 10, "day-of-week \"mon-fry\": \"fry\" is not allowed; expected 0-7 or sun-sat"),
        .init(
            oneAction("        trigger: schedule\n        default_interval: 5\n"), "micros[0].actions[0].default_interval",
            line: 10, "expected a string, found the number 5"),
        .init(
            oneMicro(
                "    actions:\n" + String(repeating: "      - {id: a, name: A, trigger: schedule, default_interval: 1 day}\n", count: 6)),
            "micros[0].actions", line: 6, "a micro may have at most 5 actions, found 6"),
    ]

    static let acrossMicros: [BrokenSpacefile] = [
        .init(
            twoMicros(second: "").replacing("name: web", with: "name: api"), "micros[1].name", line: 8,
            "micro names have to be unique, duplicate micro `api` found"),
        .init(twoMicros(second: "    primary: true\n"), "micros[1].primary", line: 11, "multiple primary micros present: `web`, `api`"),
        .init(
            twoMicros(second: "").replacing("    primary: true\n", with: ""), "micros", line: 2,
            "no primary micro present; set `primary: true` on one of them"),
        .init(twoMicros(second: "    path: /\n"), "micros[1].path", line: 11, "micro `api` has the same path / as micro `web`"),
        .init(
            twoMicros(second: "  - {name: api2, src: api, engine: python3.9, path: /api/}\n"), "micros[2].path", line: 11,
            "micro `api2` has the same path /api as micro `api`"),
        .init(
            twoMicros(
                first: "    actions: [{id: tick, name: Tick, trigger: schedule, default_interval: 1 day}]\n",
                second: "    actions: [{id: tick, name: Tock, trigger: schedule, default_interval: 2 days}]\n"),
            "micros[1].actions[0].id", line: 12, "duplicate action id `tick` (also in micro `web`)"),
    ]

    @Test(arguments: file + micro + actions + acrossMicros)
    func eachRuleReportsItsFieldLineAndMessage(_ broken: BrokenSpacefile) {
        let error = #expect(throws: SpacefileError.self) { try Spacefile.parse(broken.text) }
        #expect(error?.code == SpacefileError.invalid)
        let problem = error?.problems.first { $0.field == broken.field && $0.message.contains(broken.message) }
        #expect(problem != nil, "problems: \(error?.problems.map(\.description) ?? [])")
        #expect(problem?.line == broken.line)
    }

    @Test func everyProblemIsReportedOnePerLineInFileOrder() {
        let text = """
            v: 0
            bogus: true
            micros:
              - name: web
                src: web
                engine: python3.7
              - name: api
                src: api
                engine: static
                primary: "yes"
            """
        let error = #expect(throws: SpacefileError.self) { try Spacefile.parse(text) }
        #expect(
            error?.description == """
                bogus (line 2): unknown field `bogus`
                micros[0].engine (line 6): "python3.7" is not an engine; expected one of static, react, svelte, vue, next, nuxt, \
                svelte-kit, python3.9, python3.8, nodejs16, custom
                micros[1].serve (line 7): required for engine static
                micros[1].primary (line 10): expected true or false, found the string "yes"
                """)
    }

    @Test func aFileFullOfMistakesIsReportedWithinLimits() {
        let text =
            "v: 0\nmicros:\n  - name: app\n    src: app\n    engine: python3.9\n    commands: ["
            + Array(repeating: "1", count: 500).joined(separator: ", ") + "]\n"
        let error = #expect(throws: SpacefileError.self) { try Spacefile.parse(text) }
        #expect(error?.problems.count == 101)
        #expect(error?.problems.last?.message == "… and 400 more problems")
    }
}
