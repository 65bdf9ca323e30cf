import Testing

@testable import HearthRuntime

@Suite struct IgnoreRulesTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let patterns: [String]
        let path: String
        let isDirectory: Bool
        let ignored: Bool
        var testDescription: String { "\(patterns) \(path)\(isDirectory ? "/" : "") → \(ignored)" }
    }

    static let cases: [Case] = [
        Case(patterns: ["*.log"], path: "a/b/debug.log", isDirectory: false, ignored: true),
        Case(patterns: ["*.log"], path: "debug.log.txt", isDirectory: false, ignored: false),
        Case(patterns: ["build"], path: "web/build", isDirectory: true, ignored: true),
        Case(patterns: ["build/"], path: "build", isDirectory: false, ignored: false),
        Case(patterns: ["build/"], path: "src/build", isDirectory: true, ignored: true),
        Case(patterns: ["/todo.txt"], path: "todo.txt", isDirectory: false, ignored: true),
        Case(patterns: ["/todo.txt"], path: "notes/todo.txt", isDirectory: false, ignored: false),
        Case(patterns: ["docs/*.md"], path: "docs/a.md", isDirectory: false, ignored: true),
        Case(patterns: ["docs/*.md"], path: "docs/deep/a.md", isDirectory: false, ignored: false),
        Case(patterns: ["docs/*.md"], path: "api/docs/a.md", isDirectory: false, ignored: false),
        Case(patterns: ["**/cache"], path: "a/b/cache", isDirectory: true, ignored: true),
        Case(patterns: ["**/cache"], path: "cache", isDirectory: true, ignored: true),
        Case(patterns: ["a/**/z"], path: "a/z", isDirectory: false, ignored: true),
        Case(patterns: ["a/**/z"], path: "a/b/c/z", isDirectory: false, ignored: true),
        Case(patterns: ["logs/**"], path: "logs/x/y.txt", isDirectory: false, ignored: true),
        Case(patterns: ["logs/**"], path: "logs", isDirectory: true, ignored: false),
        Case(patterns: ["*.txt", "!keep.txt"], path: "keep.txt", isDirectory: false, ignored: false),
        Case(patterns: ["!keep.txt", "*.txt"], path: "keep.txt", isDirectory: false, ignored: true),
        Case(patterns: ["# comment", "", "  "], path: "# comment", isDirectory: false, ignored: false),
        Case(patterns: ["\\#hash"], path: "#hash", isDirectory: false, ignored: true),
        Case(patterns: ["\\!bang"], path: "!bang", isDirectory: false, ignored: true),
        Case(patterns: ["file?.[ch]"], path: "file1.c", isDirectory: false, ignored: true),
        Case(patterns: ["file?.[ch]"], path: "file12.c", isDirectory: false, ignored: false),
        Case(patterns: ["*.py   "], path: "main.py", isDirectory: false, ignored: true),
    ]

    @Test(arguments: cases) func matchesLikeGitignore(_ testCase: Case) {
        let rules = IgnoreRules(testCase.patterns)
        #expect(rules.isIgnored(testCase.path, isDirectory: testCase.isDirectory) == testCase.ignored)
    }

    @Test func defaultsFollowDetaButKeepNodeModules() {
        let rules = IgnoreRules.spaceDefaults
        for path in [".git", "web/dist", ".env", "api/__pycache__", ".venv", "a/.DS_Store", "npm-debug.log.1", ".output"] {
            #expect(rules.isIgnored(path, isDirectory: true), "\(path)")
        }
        for path in ["node_modules", "main.py", "Spacefile", "src/app.js", ".env.example", "requirements.txt"] {
            #expect(!rules.isIgnored(path, isDirectory: path == "node_modules"), "\(path)")
        }
    }

    @Test func spaceignoreCanReincludeADefault() {
        let rules = IgnoreRules.spaceDefaults.appending(IgnoreRules(["!dist", "secrets/"]))
        #expect(!rules.isIgnored("web/dist", isDirectory: true))
        #expect(rules.isIgnored("secrets", isDirectory: true))
        #expect(rules.isIgnored("build", isDirectory: true))
    }
}
