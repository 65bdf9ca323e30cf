/// A Deta Base API request (spec §1): `/v1/{projectId}/{base}/items`, `…/items/{key}`, `…/query`.
///
/// The key is the raw remainder after `items/`, percent-decoded once, so `%2F` stays inside it
/// and unencoded slashes from lenient clients join back into the key.
struct BaseRoute: Equatable {
    enum Action: Equatable {
        case put, insert, query
        case get(key: String), update(key: String), delete(key: String)
        case preflight
    }

    var projectID: String
    var base: String
    var action: Action

    static func action(method: String, resource: Substring, rest: Substring?) -> Result<Action, DetaRoute.Failure> {
        let choose = { (choices: [(String, Action)]) in DetaRoute.choose(method, preflight: Action.preflight, choices) }
        switch (resource, rest) {
        case ("items", nil), ("items", ""):
            return choose([("PUT", .put), ("POST", .insert)])
        case ("items", let rest?):
            guard let key = rest.percentDecoded else { return .failure(.badKey) }
            return choose([("GET", .get(key: key)), ("HEAD", .get(key: key)), ("PATCH", .update(key: key)), ("DELETE", .delete(key: key))])
        case ("query", nil), ("query", ""):
            return choose([("POST", .query)])
        default:
            return .failure(.notFound)
        }
    }
}
