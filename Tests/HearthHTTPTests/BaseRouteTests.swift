import HearthTesting
import Testing

@testable import HearthHTTP

@Suite struct BaseRouteTests {
    func route(_ method: String, _ path: String) -> Result<BaseRoute, DetaRoute.Failure>? {
        DetaRoute.parse(method: method, rawPath: path).map { result in
            result.flatMap { route in
                guard case .base(let base) = route else { return .failure(.notFound) }
                return .success(base)
            }
        }
    }

    @Test func decodesKeysOnceAndKeepsEncodedSlashes() {
        #expect(
            route("GET", "/v1/p/b/items/%25%40%23%2F%2F%23%21%23%29%23%24_")
                == .success(
                    BaseRoute(projectID: "p", base: "b", action: .get(key: "%@#//#!#)#$_"))))
        #expect(route("DELETE", "/v1/p/b/items/a/b c") == .success(BaseRoute(projectID: "p", base: "b", action: .delete(key: "a/b c"))))
        #expect(route("PATCH", "/v1/p/b/items/%C3%A9") == .success(BaseRoute(projectID: "p", base: "b", action: .update(key: "é"))))
        #expect(route("GET", "/v1/p/b/items/%zz") == .failure(.badKey))
    }

    @Test func mapsCollectionRoutesAndMethods() {
        #expect(route("PUT", "/v1/p/b/items") == .success(BaseRoute(projectID: "p", base: "b", action: .put)))
        #expect(route("POST", "/v1/p/b/items/") == .success(BaseRoute(projectID: "p", base: "b", action: .insert)))
        #expect(route("POST", "/v1/p/b/query") == .success(BaseRoute(projectID: "p", base: "b", action: .query)))
        #expect(route("OPTIONS", "/v1/p/b/query") == .success(BaseRoute(projectID: "p", base: "b", action: .preflight)))
        #expect(route("GET", "/v1/p/b/query") == .failure(.methodNotAllowed(allowed: "POST")))
        #expect(route("DELETE", "/v1/p/b/items") == .failure(.methodNotAllowed(allowed: "PUT, POST")))
        #expect(route("PUT", "/v1/p/b/items/k") == .failure(.methodNotAllowed(allowed: "GET, PATCH, DELETE")))
    }

    @Test func leavesOtherPathsAlone() {
        #expect(route("GET", "/healthz") == nil)
        #expect(route("GET", "/v1/p/b/other") == .failure(.notFound))
        #expect(route("GET", "/v1/p") == .failure(.notFound))
        #expect(route("GET", "/v1//b/items") == .failure(.notFound))
    }
}

/// Base and Drive names from the URL follow one rule.
@Suite struct ResourceNameTests {
    @Test func refusesEmptyLongSlashedAndControlNames() async throws {
        try await TestNode.with { node in
            let (_, key) = try await node.createCollection()
            try await node.withClient { (client) async throws in
                for name in ["a%01b", "a%C2%85b", "a%7Fb", "a%2Fb", String(repeating: "n", count: 257)] {
                    #expect(try await client.base(.get, "/items/k", key: key, base: name).status == 400, "base \(name)")
                    #expect(try await client.base(.get, "/files", key: key, base: name).status == 400, "drive \(name)")
                }
                #expect(try await client.base(.get, "/items/k", key: key, base: "caf%C3%A9 notes").status == 404)
                #expect(try await client.base(.get, "/files", key: key, base: "caf%C3%A9 notes").status == 200)
            }
        }
    }
}
