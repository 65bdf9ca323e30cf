import Foundation
import HearthTesting
import Testing

@testable import HearthRuntime

@Suite struct StaticSiteTests {
    enum Expected: Sendable {
        case file(String, String)
        case redirect(String)
        case notFound
    }

    static let table: [(path: String, spa: Bool, expected: Expected)] = [
        ("/", true, .file("index.html", "text/html; charset=utf-8")),
        ("", true, .file("index.html", "text/html; charset=utf-8")),
        ("/app.js", true, .file("app.js", "text/javascript; charset=utf-8")),
        ("/style.css?v=3", true, .file("style.css", "text/css; charset=utf-8")),
        ("/img/logo.svg", true, .file("img/logo.svg", "image/svg+xml")),
        ("/data.json", true, .file("data.json", "application/json")),
        ("/cal.ics", true, .file("cal.ics", "text/calendar; charset=utf-8")),
        ("/docs", true, .redirect("./docs/")),
        ("/docs/", true, .file("docs/index.html", "text/html; charset=utf-8")),
        ("//docs//guide.txt", true, .file("docs/guide.txt", "text/plain; charset=utf-8")),
        ("/%64ocs/guide%2Etxt", true, .file("docs/guide.txt", "text/plain; charset=utf-8")),
        ("/my%20file.txt", true, .file("my file.txt", "text/plain; charset=utf-8")),
        ("/with%20space", true, .redirect("./with%20space/")),
        ("/legacy/", true, .file("legacy/index.htm", "text/html; charset=utf-8")),
        ("/.well-known/security.txt", true, .file(".well-known/security.txt", "text/plain; charset=utf-8")),
        ("/dashboard/settings", true, .file("index.html", "text/html; charset=utf-8")),
        ("/dashboard/settings", false, .notFound),
        ("/missing.png", true, .notFound),
        ("/../secret.txt", true, .notFound),
        ("/docs/../../secret.txt", true, .notFound),
        ("/%2e%2e/secret.txt", true, .notFound),
        ("/..%2fsecret.txt", true, .notFound),
        ("/a%00b", true, .notFound),
        ("/%zz", true, .notFound),
        ("/..\\secret.txt", true, .notFound),
        ("/.env", true, .notFound),
        ("/escape/secret.txt", true, .notFound),
        ("/escape", false, .notFound),
        ("/secret-link.txt", true, .notFound),
        ("/inner-link.js", true, .file("inner-link.js", "text/javascript; charset=utf-8")),
    ]

    @Test func resolvesRequestPaths() async throws {
        try await withTemporaryDirectory { directory in
            let root = try Self.makeSite(in: directory)
            for row in Self.table {
                let site = StaticSite(root: root, spaFallback: row.spa)
                let expected: StaticResolution =
                    switch row.expected {
                    case .file(let path, let type): .file(root.appendingPathComponent(path), contentType: type)
                    case .redirect(let location): .redirect(location: location)
                    case .notFound: .notFound(root.appendingPathComponent("404.html"))
                    }
                #expect(site.resolve(row.path) == expected, "\(row.path) spa=\(row.spa)")
            }
        }
    }

    @Test func withoutA404PageNotFoundHasNoBody() async throws {
        try await withTemporaryDirectory { directory in
            let site = StaticSite(root: directory, spaFallback: true)
            #expect(site.resolve("/nothing") == .notFound(nil))
            #expect(site.resolve("/") == .notFound(nil))
        }
    }

    static func makeSite(in directory: URL) throws -> URL {
        let root = directory.appendingPathComponent("site")
        let files = [
            "index.html", "404.html", "app.js", "style.css", "img/logo.svg", "data.json", "cal.ics", "docs/index.html",
            "docs/guide.txt", "my file.txt", "with space/index.html", "legacy/index.htm", ".well-known/security.txt", ".env",
        ]
        for path in files {
            let file = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(path.utf8).write(to: file)
        }
        let outside = directory.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data("secret".utf8).write(to: outside.appendingPathComponent("secret.txt"))
        try Data("secret".utf8).write(to: directory.appendingPathComponent("secret.txt"))
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: root.appendingPathComponent("escape").path, withDestinationPath: "../outside")
        try manager.createSymbolicLink(atPath: root.appendingPathComponent("secret-link.txt").path, withDestinationPath: "../secret.txt")
        try manager.createSymbolicLink(atPath: root.appendingPathComponent("inner-link.js").path, withDestinationPath: "app.js")
        return root
    }
}
