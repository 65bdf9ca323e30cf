/// A Deta Drive API request (spec §2): `/v1/{projectId}/{drive}/files`, `…/files/download`,
/// `…/uploads`, `…/uploads/{id}`, `…/uploads/{id}/parts`. Names and part numbers travel in the
/// query string, which the controller reads.
struct DriveRoute: Equatable {
    enum Action: Equatable {
        case upload, list, deleteMany, download
        case startUpload
        case uploadPart(id: String), completeUpload(id: String), abortUpload(id: String)
        case preflight
    }

    var projectID: String
    var drive: String
    var action: Action

    static func action(method: String, resource: Substring, rest: Substring?) -> Result<Action, DetaRoute.Failure> {
        let choose = { (choices: [(String, Action)]) in DetaRoute.choose(method, preflight: Action.preflight, choices) }
        let rest = rest.flatMap { $0.isEmpty ? nil : $0.split(separator: "/", omittingEmptySubsequences: false) } ?? []
        switch (resource, rest.count) {
        case ("files", 0):
            return choose([("GET", .list), ("POST", .upload), ("DELETE", .deleteMany)])
        case ("files", 1) where rest[0] == "download":
            return choose([("GET", .download), ("HEAD", .download)])
        case ("uploads", 0):
            return choose([("POST", .startUpload)])
        case ("uploads", 1) where !rest[0].isEmpty:
            return choose([("PATCH", .completeUpload(id: String(rest[0]))), ("DELETE", .abortUpload(id: String(rest[0])))])
        case ("uploads", 2) where !rest[0].isEmpty && rest[1] == "parts":
            return choose([("POST", .uploadPart(id: String(rest[0])))])
        default:
            return .failure(.notFound)
        }
    }
}
