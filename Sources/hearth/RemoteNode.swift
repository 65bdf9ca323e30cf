import Foundation
import HearthCore
import HearthHTTP
import NIOHTTP1

/// A failed call to another node's owner API.
typealias RemoteError = ModuleError<RemoteNode>

/// Another node, reached through its owner API (`/api/v1`) with the token `hearth login` stored.
struct RemoteNode {
    let origin: String
    let login: Credentials.Login

    /// The node `--node` names, else the one logged in to last; nil when neither.
    static func chosen(_ flag: String?) throws -> RemoteNode? {
        let credentials = try Credentials.read()
        guard let wanted = try flag.map(Credentials.origin) ?? credentials.current else { return nil }
        guard var login = credentials.nodes[wanted] else {
            throw RemoteError("cli.not_logged_in", "Not logged in to \(wanted); run `hearth login \(wanted)` first")
        }
        if let token = ProcessInfo.processInfo.environment["HEARTH_TOKEN"], !token.isEmpty { login.token = token }
        return RemoteNode(origin: wanted, login: login)
    }

    /// Decodes the JSON answer of a call that must succeed with `expected`.
    func call<T: Decodable>(
        _ type: T.Type, _ method: HTTPMethod, _ path: String, body: Data? = nil, expected: Int = 200
    ) async throws(RemoteError) -> T {
        let (status, answer): (Int, String)
        do {
            (status, answer) = try await ControlClient.call(
                method, "/api/v1/" + path, url: origin, token: login.token, trustAnchor: login.trustAnchor, body: body)
        } catch {
            throw RemoteError("cli.node_unreachable", "Cannot reach \(origin): \((error as? any HearthError)?.message ?? "\(error)")")
        }
        guard status == expected else { throw Self.refusal(status, answer, from: origin) }
        do {
            return try Self.decoder.decode(type, from: Data(answer.utf8))
        } catch {
            throw RemoteError("cli.node_answer", "\(origin)'s answer could not be read: \(answer.prefix(200))")
        }
    }

    /// Sends an app archive to `path` and hands each streamed JSON line to `line`.
    func stream(_ path: String, archive: Data, line: ([String: JSONLine]) throws -> Void) async throws(RemoteError) {
        let (status, answer): (Int, String)
        do {
            (status, answer) = try await ControlClient.stream(
                .POST, "/api/v1/" + path, url: origin, token: login.token, trustAnchor: login.trustAnchor, body: archive,
                contentType: "application/zip"
            ) { text in
                guard let object = try? Self.decoder.decode([String: JSONLine].self, from: Data(text.utf8)) else { return }
                try line(object)
            }
        } catch let error as RemoteError {
            throw error
        } catch {
            throw RemoteError(
                "cli.node_unreachable", "The connection to \(origin) failed: \((error as? any HearthError)?.message ?? "\(error)")")
        }
        guard status == 200 else { throw Self.refusal(status, answer, from: origin) }
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    private static func refusal(_ status: Int, _ answer: String, from origin: String) -> RemoteError {
        let message = (try? JSONDecoder().decode([String: [String]].self, from: Data(answer.utf8)))?["errors"]?.first
        if status == 401 {
            return RemoteError("cli.unauthorized", "\(origin) refused the token (\(message ?? "401")); log in again with a valid one")
        }
        return RemoteError("cli.node_refused", "\(origin) answered \(status): \(message ?? String(answer.prefix(300)))")
    }
}

/// One value of a streamed push line: text, or an object (the result).
enum JSONLine: Decodable {
    case text(String)
    case instance(RemoteInstance)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .instance(try container.decode(RemoteInstance.self))
        }
    }
}

/// An instance as another node's API describes it.
struct RemoteInstance: Codable {
    let id, slug, app, version, url: String
}
