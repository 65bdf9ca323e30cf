import Foundation
import HearthCore
import Testing

@Suite struct DiscoveryTests {
    static let complete = """
        ---
        app_name: Notes
        title: Notes for your space
        tagline: Write things down, keep them yours
        theme_color: "#1F8A70"
        git: https://example.com/notes.git
        homepage: https://notes.example.com
        ported_from: https://deta.space/discovery/notes
        media:
          - ./media/one.png
          - https://www.youtube.com/watch?v=abc
        open_code: true
        works_with: [Markdown, Files]
        unknown_to_deta: ignored
        ---

        # Notes

        A small **notes** app.
        """

    @Test func parsesEveryField() throws {
        let discovery = try Discovery.parse(Self.complete)
        #expect(discovery.appName == "Notes")
        #expect(discovery.title == "Notes for your space")
        #expect(discovery.tagline == "Write things down, keep them yours")
        #expect(discovery.themeColor == "#1f8a70")
        #expect(discovery.git == "https://example.com/notes.git")
        #expect(discovery.homepage == "https://notes.example.com")
        #expect(discovery.portedFrom == "https://deta.space/discovery/notes")
        #expect(discovery.media == ["./media/one.png", "https://www.youtube.com/watch?v=abc"])
        #expect(discovery.openCode == true)
        #expect(discovery.worksWith == ["Markdown", "Files"])
        #expect(discovery.body == "# Notes\n\nA small **notes** app.")
        #expect(discovery.listingProblems().isEmpty)
    }

    @Test func bodyWithoutFrontMatter() throws {
        let discovery = try Discovery.parse("Just a body.\n")
        #expect(discovery == Discovery(body: "Just a body."))
        #expect(discovery.listingProblems().map(\.field) == ["app_name", "tagline"])
    }

    @Test func emptyFrontMatter() throws {
        #expect(try Discovery.parse("---\n---\nBody") == Discovery(body: "Body"))
    }

    @Test(arguments: [
        ("app_name: ThirteenChars", "app_name", "at most 12"),
        ("title: \(String(repeating: "t", count: 46))", "title", "at most 45"),
        ("tagline: \(String(repeating: "t", count: 70))", "tagline", "at most 69"),
        ("theme_color: blue", "theme_color", "hex colour"),
        ("theme_color: \"#12345\"", "theme_color", "hex colour"),
        ("theme_color: \"#gggggg\"", "theme_color", "hex colour"),
        ("git: ftp://example.com/x", "git", "http(s) URL"),
        ("homepage: javascript:alert(1)", "homepage", "http(s) URL"),
        ("ported_from: not a url", "ported_from", "http(s) URL"),
        ("media: [a, b, c, d, e, f]", "media", "at most 5"),
        ("media: [https://youtu.be/a, https://www.loom.com/share/b]", "media", "at most one video"),
        ("media: one.png", "media", "expected a list"),
        ("open_code: yes", "open_code", "true or false"),
        ("works_with: Markdown", "works_with", "expected a list"),
        ("app_name: 2048", "app_name", "quotes"),
    ])
    func refusesBrokenRules(line: String, field: String, message: String) {
        #expect {
            try Discovery.parse("---\n\(line)\n---\nBody")
        } throws: { error in
            guard let error = error as? SpacefileError, error.code == SpacefileError.invalidDiscovery else { return false }
            return error.problems.contains { $0.field.hasPrefix(field) && $0.message.contains(message) && $0.line == 2 }
        }
    }

    @Test func refusesALongBody() {
        let body = String(repeating: "x", count: 4251)
        #expect(throws: SpacefileError.self) { try Discovery.parse("---\napp_name: A\n---\n" + body) }
        #expect((try? Discovery.parse(String(repeating: "x", count: 4250))) != nil)
    }

    @Test func refusesBrokenYAML() {
        #expect(throws: SpacefileError.self) { try Discovery.parse("---\ntitle: [unclosed\n---\n") }
    }

    @Test func reportsEveryProblem() {
        #expect {
            try Discovery.parse("---\napp_name: WayTooLongForIt\ntheme_color: red\n---\n")
        } throws: { error in
            (error as? SpacefileError)?.problems.map(\.field) == ["app_name", "theme_color"]
        }
    }

    @Test func roundTripsThroughJSON() throws {
        let discovery = try Discovery.parse(Self.complete)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(discovery)
        #expect(String(decoding: data, as: UTF8.self).contains("\"theme_color\""))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        #expect(try decoder.decode(Discovery.self, from: data) == discovery)
    }
}
