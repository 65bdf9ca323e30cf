/// A data key, `{projectId}_{secret}`, as sent in `X-API-Key`.
public struct DataKey: Sendable, Hashable {
    public let projectID: String
    public let secret: String

    public init(projectID: String, secret: String) {
        self.projectID = projectID
        self.secret = secret
    }

    /// Splits a header value at its first `_`; `nil` if either side is empty.
    public init?(parsing value: String) {
        guard let separator = value.firstIndex(of: "_") else { return nil }
        let projectID = String(value[..<separator])
        let secret = String(value[value.index(after: separator)...])
        guard !projectID.isEmpty, !secret.isEmpty else { return nil }
        self.init(projectID: projectID, secret: secret)
    }

    /// The full key, as handed to the owner once.
    public var value: String { "\(projectID)_\(secret)" }
}
