import HearthCore
import Testing

@Suite("Public routes")
struct PublicRoutesTests {
    @Test(
        "Patterns match exactly, and each * matches any run of characters, / included (spec §5.5)",
        arguments: [
            ("/public", "/public", true),
            ("/public", "/public/", false),
            ("/public", "/publicity", false),
            ("/public/*", "/public/a", true),
            ("/public/*", "/public/a/b", true),
            ("/public/*", "/public/", true),
            ("/public/*", "/public", false),
            ("/api/*/docs", "/api/v1/docs", true),
            ("/api/*/docs", "/api/v1/v2/docs", true),
            ("/api/*/docs", "/api/docs", false),
            ("/api/*/docs", "/api/v1/docs/x", false),
            ("*", "/anything/at/all", true),
            ("/*.png", "/img/a.png", true),
            ("/*.png", "/img/a.png.txt", false),
            ("/a*b*c", "/abc", true),
            ("/a*b*c", "/acb", false),
            ("/a*a", "/a", false),
        ] as [(String, String, Bool)])
    func matching(pattern: String, path: String, expected: Bool) {
        let micro = Micro(name: "m", src: ".", engine: .custom, primary: true, path: "/", publicRoutes: [pattern])
        #expect(micro.isPublic(path: path) == expected)
    }

    @Test func aMicroWithoutPatternsIsPrivate() {
        #expect(!Micro(name: "m", src: ".", engine: .custom, primary: true, path: "/").isPublic(path: "/"))
    }
}
