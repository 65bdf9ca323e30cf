/// A request to the Deta-compatible APIs, recognised from its method and raw path alone:
/// `/v1/{projectId}/{name}/{resource}[/{rest}]`, where the resource says whether `name` is a
/// Base (`items`, `query`) or a Drive (`files`, `uploads`).
enum DetaRoute: Equatable {
    case base(BaseRoute)
    case drive(DriveRoute)

    enum Failure: Error, Equatable {
        case notFound
        case methodNotAllowed(allowed: String)
        case badKey
    }

    /// Recognises a `/v1/...` request; `nil` if the path is not under `/v1/`.
    static func parse(method: String, rawPath: String) -> Result<DetaRoute, Failure>? {
        guard rawPath.hasPrefix("/v1/") else { return nil }
        let parts = rawPath.dropFirst(4).split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3,
            let projectID = parts[0].percentDecoded, !projectID.isEmpty,
            let name = parts[1].percentDecoded, !name.isEmpty
        else { return .failure(.notFound) }
        let rest = parts.count == 4 ? parts[3] : nil
        switch parts[2] {
        case "items", "query":
            return BaseRoute.action(method: method, resource: parts[2], rest: rest)
                .map { .base(BaseRoute(projectID: projectID, base: name, action: $0)) }
        case "files", "uploads":
            return DriveRoute.action(method: method, resource: parts[2], rest: rest)
                .map { .drive(DriveRoute(projectID: projectID, drive: name, action: $0)) }
        default:
            return .failure(.notFound)
        }
    }

    /// The action `method` picks among `choices`; a preflight for `OPTIONS`, and 405 naming
    /// the allowed methods for anything else.
    static func choose<Action>(_ method: String, preflight: Action, _ choices: [(String, Action)]) -> Result<Action, Failure> {
        if method == "OPTIONS" { return .success(preflight) }
        if let action = choices.first(where: { $0.0 == method })?.1 { return .success(action) }
        return .failure(.methodNotAllowed(allowed: choices.map(\.0).filter { $0 != "HEAD" }.joined(separator: ", ")))
    }
}

extension Substring {
    /// Percent-decoded once; `nil` for a malformed escape. Skips Foundation when there is
    /// nothing to decode, which is the common case.
    var percentDecoded: String? {
        contains("%") ? removingPercentEncoding : String(self)
    }
}
