import Foundation
import HearthCore
import HearthRegistry
import Hummingbird

/// `GET /discover.json`: the listed releases, newest first, for other nodes looking for apps
/// and updates. Keys are snake_case; `discovery` is the release's parsed Discovery.md.
struct DiscoverListing: Encodable {
    let id: String
    let app: String
    let version: String
    let notes: String
    let url: String
    let iconUrl: String?
    let fingerprint: String
    let sha256: String
    let discovery: Discovery?
    let createdAt: Date

    init(_ release: ReleaseInfo, origin: String, hasIcon: Bool) {
        (id, app, version, notes) = (release.id, release.appName, release.version, release.notes)
        (fingerprint, sha256, discovery, createdAt) = (release.fingerprint, release.sha256, release.discovery, release.createdAt)
        url = origin + "/" + release.path
        iconUrl = hasIcon ? "\(origin)/releases/\(release.id)/icon" : nil
    }

    static func response(_ releases: [ReleaseInfo], origin: String, layout: DataLayout) throws -> Response {
        let listing = releases.map {
            DiscoverListing($0, origin: origin, hasIcon: FileManager.default.fileExists(atPath: layout.resolve($0.iconPath).path))
        }
        let body = try APIResponse.encoder.encode(["releases": listing])
        var headers: HTTPFields = [:]
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-cache"
        headers[.accessControlAllowOrigin] = "*"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
