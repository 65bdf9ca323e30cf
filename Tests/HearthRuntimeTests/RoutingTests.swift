import Foundation
import HearthCore
import Testing

@testable import HearthRegistry
@testable import HearthRuntime

/// Path routing between the micros of one instance (spec §5.3).
@Suite("Micro routing")
struct RoutingTests {
    static let instance: LoadedInstance = {
        let micros = [
            Micro(name: "web", src: ".", engine: .python39, primary: true, path: "/"),
            Micro(name: "api", src: "api", engine: .python39, path: "/api"),
            Micro(name: "v2", src: "v2", engine: .python39, path: "/api/v2"),
        ]
        let info = InstanceInfo(
            id: "abc", space: "default", slug: "demo", appName: "demo", source: "/src", version: "1", publisher: nil, deployment: "",
            previous: nil,
            state: .ready,
            path: "spaces/default/instances/abc", createdAt: Date(), updatedAt: Date())
        let layout = InstanceLayout(directory: URL(fileURLWithPath: "/tmp/demo"))
        return LoadedInstance(
            info: info, layout: layout, spacefile: Spacefile(micros: micros),
            micros: micros.map {
                LoadedMicro(micro: $0, target: .staticSite(StaticSite(root: layout.app, spaFallback: false)))
            })
    }()

    @Test(
        "Requests go to the micro with the longest matching prefix, which sees the path without it",
        arguments: [
            ("/", "web", "/"),
            ("/index.html", "web", "/index.html"),
            ("/api", "api", "/"),
            ("/api/", "api", "/"),
            ("/api/items/1", "api", "/items/1"),
            ("/apix", "web", "/apix"),
            ("/api/v2", "v2", "/"),
            ("/api/v2/x", "v2", "/x"),
            ("/api/v20", "api", "/v20"),
            ("/API/x", "web", "/API/x"),
        ])
    func routes(path: String, micro: String, seen: String) {
        let (routed, stripped) = Self.instance.route(path)
        #expect(routed.micro.name == micro)
        #expect(stripped == seen)
    }

    @Test(
        "Paths are normalised before routing",
        arguments: [
            ("/", "/"), ("/api/x", "/api/x"), ("//api/x", "/api/x"), ("/api//x", "/api/x"), ("/x/../api/x", "/api/x"),
            ("/api/../x", "/x"), ("/../../etc/passwd", "/etc/passwd"), ("/a/./b/", "/a/b/"), ("/a/b/..", "/a/"),
            ("/..", "/"), ("/.well-known/x", "/.well-known/x"),
            ("/%2e%2e/x", "/x"), ("/public/%2E%2e/private", "/private"), ("/a/.%2e/b", "/b"), ("/a/%2e", "/a/"),
            ("/%2e%2e%2e/x", "/%2e%2e%2e/x"), ("/a%2fb", "/a%2fb"),
        ])
    func normalizes(path: String, expected: String) {
        #expect(RequestPath.normalized(path) == expected)
    }

    @Test("Host labels slugify app names")
    func slugs() {
        #expect(Registry.slugify("My Notes!") == "my-notes")
        #expect(Registry.slugify("--x__y--") == "x-y")
        #expect(Registry.slugify("日本") == "app")
        #expect(Registry.slugify(String(repeating: "a", count: 60)).count == 40)
    }
}
