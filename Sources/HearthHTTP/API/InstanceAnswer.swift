import Foundation
import HearthRegistry
import HearthRuntime

/// An instance as the owner API shows it: what it is, where it answers, and how it is doing.
struct InstanceAnswer: Encodable {
    /// `installing`, `running` (a micro is up), `asleep` (none is; the next request starts
    /// one), or `crashed` (its last start or run failed and none has started since).
    enum Status: String, Encodable { case installing, running, asleep, crashed }

    let id, slug, app, version, source, state, url: String
    let previousVersion: String?
    let installedAt, updatedAt: Date
    var status: Status?
    var running: [String]?
    /// The dashboard's way in: `/open?to=<url>/`, which hands the session over.
    var openPath: String?
    var lastActive: Date?
    var lastError: MeterEvent?
    /// Whether its Spacefile names an icon (`GET /instances/{id}/icon`).
    var hasIcon: Bool?

    init(_ info: InstanceInfo, url: String) {
        (id, slug, app, version, source, state) = (info.id, info.slug, info.appName, info.version, info.source, info.state.rawValue)
        (self.url, previousVersion) = (url, info.previous?.version)
        (installedAt, updatedAt) = (info.createdAt, info.updatedAt)
    }

    /// The answer with the instance's live status from the node's supervisor and meters.
    static func live(_ info: InstanceInfo, apps: AppServices) async -> InstanceAnswer {
        let url = apps.catalog.address.origin(slug: info.slug)
        var answer = InstanceAnswer(info, url: url)
        let meter = apps.supervisor.meters.meter(info.id)
        let running = await apps.supervisor.runningMicros(instance: info.id)
        answer.running = running
        answer.openPath = "/open?to=" + Redirects.encode(url + "/")
        answer.lastActive = meter.lastRequest
        answer.lastError = meter.lastError
        answer.hasIcon = (try? await apps.catalog.instance(slug: info.slug))??.spacefile.icon != nil
        answer.status =
            if info.state == .installing {
                .installing
            } else if !running.isEmpty {
                .running
            } else if let error = meter.lastError, error.at > (meter.lastWake ?? .distantPast) {
                .crashed
            } else {
                .asleep
            }
        return answer
    }
}
