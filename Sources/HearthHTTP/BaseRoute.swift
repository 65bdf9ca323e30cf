import Foundation

/// A request to the Deta Base API, recognised from its method and raw path alone.
///
/// `/v1/{projectId}/{base}/items`, `/v1/{projectId}/{base}/items/{key}`, `/v1/{projectId}/{base}/query`.
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

    enum Failure: Error, Equatable {
        case notFound
        case methodNotAllowed(allowed: String)
        case badKey
    }

    /// Recognises a `/v1/...` request; `nil` if the path is not under `/v1/`.
    static func parse(method: String, rawPath: String) -> Result<BaseRoute, Failure>? {
        guard rawPath.hasPrefix("/v1/") else { return nil }
        let parts = rawPath.dropFirst(4).split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3,
            let projectID = parts[0].percentDecoded, !projectID.isEmpty,
            let base = parts[1].percentDecoded, !base.isEmpty
        else { return .failure(.notFound) }
        let rest = parts.count == 4 ? parts[3] : nil
        let route = { (action: Action) in Result<BaseRoute, Failure>.success(BaseRoute(projectID: projectID, base: base, action: action)) }
        if method == "OPTIONS" { return route(.preflight) }

        switch parts[2] {
        case "items" where rest == nil || rest == "":
            switch method {
            case "PUT": return route(.put)
            case "POST": return route(.insert)
            default: return .failure(.methodNotAllowed(allowed: "PUT, POST"))
            }
        case "items":
            guard let key = rest?.percentDecoded else { return .failure(.badKey) }
            switch method {
            case "GET", "HEAD": return route(.get(key: key))
            case "PATCH": return route(.update(key: key))
            case "DELETE": return route(.delete(key: key))
            default: return .failure(.methodNotAllowed(allowed: "GET, PATCH, DELETE"))
            }
        case "query" where rest == nil || rest == "":
            return method == "POST" ? route(.query) : .failure(.methodNotAllowed(allowed: "POST"))
        default:
            return .failure(.notFound)
        }
    }
}

extension Substring {
    /// Percent-decoded once; `nil` for a malformed escape. Skips Foundation when there is
    /// nothing to decode, which is the common case.
    var percentDecoded: String? {
        contains("%") ? removingPercentEncoding : String(self)
    }
}
