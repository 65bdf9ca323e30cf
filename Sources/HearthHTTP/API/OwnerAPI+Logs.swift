import Foundation
import HTTPTypes
import HearthCore
import HearthRegistry
import HearthRuntime
import Hummingbird
import Synchronization

/// The owner API's logs and scheduled actions (docs/api.md, "Logs and scheduled actions"):
/// a micro's or the build's last lines, a live tail as server-sent events, the instance's
/// actions with their recent runs, and "run now".
///
/// The live tail polls the log file (a `stat` every 300 ms, reading only what was appended)
/// rather than hooking the supervisor's writer: the file is the one place every line goes
/// (the micro's output, the node's notes, the builder's output, which no `MicroLog` writes),
/// it follows rotation by the file's inode, and a stream holds no lock the micro's output
/// waits on, so a slow reader can never slow an app down.
extension OwnerAPI {
    func addLogs(to api: RouterGroup<Context>) {
        api.get("instances/:id/logs") { request, context in
            try await respond { try await logLines(request, caller(request, context), id: context.parameters.get("id") ?? "") }
        }
        api.get("instances/:id/logs/stream") { request, context in
            try await respond { try await logStream(request, streamCaller(request, context), id: context.parameters.get("id") ?? "") }
        }
        api.get("instances/:id/actions") { request, context in
            try await respond { try await actions(caller(request, context), id: context.parameters.get("id") ?? "") }
        }
        api.post("instances/:id/actions/:action/run") { request, context in
            try await respond {
                try await runAction(
                    caller(request, context), id: context.parameters.get("id") ?? "", action: context.parameters.get("action") ?? "")
            }
        }
    }

    // MARK: Logs

    private func logLines(_ request: Request, _ caller: APICaller, id: String) async throws -> Response {
        let info = try await ownInstance(id, of: caller)
        let (name, file) = try logFile(of: info, micro: request.uri.queryParameters["micro"].map(String.init))
        let count = try lineCount(request, default: 200)
        var tail = LogTail(file: file, label: nil)
        return try APIResponse.json(.ok, LogsAnswer(micro: name, lines: tail.lastLines(count).map { LogStreams.clean($0.text) }))
    }

    /// `text/event-stream`: the last `lines` lines, then each new line as it is written, one
    /// `data:` event a line, with a comment every 10 s so proxies keep the connection and a gone
    /// client is noticed. It ends when the client goes (a write fails).
    private func logStream(_ request: Request, _ caller: APICaller, id: String) async throws -> Response {
        let info = try await ownInstance(id, of: caller)
        let (_, file) = try logFile(of: info, micro: request.uri.queryParameters["micro"].map(String.init))
        let count = try lineCount(request, default: 200)
        guard LogStreams.open.load(ordering: .relaxed) < LogStreams.limit else {
            throw APIError(.serviceUnavailable, "Too many live logs are open on this node; close one and try again")
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no"],
            body: ResponseBody { writer in
                LogStreams.open.add(1, ordering: .relaxed)
                defer { LogStreams.open.subtract(1, ordering: .relaxed) }
                var tail = LogTail(file: file, label: nil)
                try await writer.write(LogStreams.events(tail.lastLines(count), prefix: "retry: 3000\n\n"))
                var quiet = ContinuousClock.now
                while !Task.isCancelled {
                    try await Task.sleep(for: LogStreams.poll)
                    let lines = tail.newLines()
                    if !lines.isEmpty {
                        try await writer.write(LogStreams.events(lines))
                        quiet = .now
                    } else if ContinuousClock.now - quiet >= LogStreams.heartbeat {
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        quiet = .now
                    }
                }
                try await writer.finish(nil)
            })
    }

    /// The caller of the live tail. `EventSource` cannot send the dashboard's header, so for
    /// this one read-only GET the session counts without it when the browser itself says the
    /// request comes from the dashboard's page (`Sec-Fetch-Site: same-origin`, which no page can
    /// forge, and a matching `Origin` if one is sent). Another site's page could not read the
    /// answer anyway (no CORS header), and the call changes nothing.
    private func streamCaller(_ request: Request, _ context: Context) async throws -> APICaller {
        if request.headers[.authorization] != nil || request.headers[APICaller.dashboardHeader] != nil {
            return try await caller(request, context)
        }
        guard request.headers[HTTPField.Name("Sec-Fetch-Site")!] == "same-origin",
            OwnerAuth.isSameOrigin(request, origin: auth.origin(of: request)),
            let session = await auth.session(of: request, instance: nil, logger: context.logger)
        else { throw APIError.unauthorized }
        return APICaller(space: session.space, credential: .session(session))
    }

    /// The log of `micro` (the primary micro when absent), or of the build with `build`.
    private func logFile(of info: InstanceInfo, micro: String?) throws -> (String, URL) {
        let layout = layout.instance(info)
        if micro == "build" { return ("build", layout.buildLog) }
        let micros = (try? Spacefile.load(directory: layout.app))?.micros ?? []
        guard let chosen = micro.flatMap({ name in micros.first { $0.name == name } }) ?? (micro == nil ? micros.first : nil) else {
            let known = (micros.map(\.name) + ["build"]).joined(separator: ", ")
            throw APIError(.notFound, "\(info.slug) has no micro '\(micro ?? "")'; its logs are: \(known)")
        }
        return (chosen.name, layout.log(micro: chosen.name))
    }

    private func lineCount(_ request: Request, default count: Int) throws -> Int {
        guard let text = request.uri.queryParameters["lines"] else { return count }
        guard let value = Int(text), (0...LogStreams.maxLines).contains(value) else {
            throw APIError(.badRequest, "lines must be a whole number from 0 to \(LogStreams.maxLines)")
        }
        return value
    }

    // MARK: Scheduled actions

    private func actions(_ caller: APICaller, id: String) async throws -> Response {
        let info = try await ownInstance(id, of: caller)
        let micros = (try? Spacefile.load(directory: layout.instance(info).app))?.micros ?? []
        let lastRuns = try await registry.actionRuns(instance: info.id)
        let now = Date()
        var list: [LogsAction] = []
        for micro in micros {
            for action in micro.actions {
                let runs = apps.scheduler.history.runs(instance: info.id, action: action.id)
                let scheduled = lastRuns[action.id].map { Date(timeIntervalSince1970: $0) }
                let last = [scheduled, runs.first?.at].compactMap { $0 }.max()
                let next = action.schedule.nextRun(after: max(scheduled ?? info.createdAt, now), anchor: info.createdAt)
                list.append(
                    LogsAction(
                        id: action.id, name: action.name, description: action.description, micro: micro.name,
                        schedule: Self.describe(action.schedule), lastRun: last, nextRun: next,
                        runs: runs.map(LogsActionRun.init)))
            }
        }
        return try APIResponse.json(.ok, list)
    }

    private func runAction(_ caller: APICaller, id: String, action actionID: String) async throws -> Response {
        let info = try await ownInstance(id, of: caller)
        guard info.state == .ready, let instance = try await apps.catalog.instance(slug: info.slug) else {
            throw APIError(.conflict, "\(info.slug) is not ready to run actions")
        }
        guard let (action, micro) = ActionScheduler.find(actionID, in: instance) else {
            throw APIError(.notFound, "\(info.slug) has no action '\(actionID)'")
        }
        await apps.scheduler.trigger(action, of: micro, in: instance, by: .manual)
        guard let run = apps.scheduler.history.runs(instance: info.id, action: action.id).first else {
            throw APIError(.internalServerError, "The run of \(action.id) was not recorded")
        }
        return try APIResponse.json(.ok, LogsActionRun(run))
    }

    /// `every 1 minute`, `every 2 hours`, or the cron expression as written (`cron 0 3 * * *`).
    static func describe(_ schedule: Schedule) -> String {
        switch schedule {
        case .rate(let count, let unit): "every \(count) \(unit.rawValue)\(count == 1 ? "" : "s")"
        case .cron(let expression): "cron \(expression.source) (UTC)"
        }
    }
}

/// How many live tails are open, and how they poll.
enum LogStreams {
    static let open = Atomic<Int>(0)
    /// At most this many live tails at once on the node (each is a poll every 300 ms).
    static let limit = 64
    static let maxLines = 1000
    static let poll = Duration.milliseconds(300)
    static let heartbeat = Duration.seconds(10)
    /// The longest line sent; `MicroLog` cuts micros' lines at 16 kB already.
    static let maxLineBytes = 16 * 1024

    /// One `data:` event per line.
    static func events(_ lines: [LogTail.Line], prefix: String = "") -> ByteBuffer {
        var text = prefix
        for line in lines { text += "data: " + clean(line.text) + "\n\n" }
        return ByteBuffer(string: text)
    }

    /// A line without carriage returns (a line break in an event stream) and cut to size.
    static func clean(_ text: String) -> String {
        var line = text.replacingOccurrences(of: "\r", with: "")
        if line.utf8.count > maxLineBytes { line = String(decoding: line.utf8.prefix(maxLineBytes), as: UTF8.self) + "…" }
        return line
    }
}

struct LogsAnswer: Encodable {
    let micro: String
    let lines: [String]
}

struct LogsAction: Encodable {
    let id, name: String
    let description: String?
    let micro, schedule: String
    let lastRun, nextRun: Date?
    let runs: [LogsActionRun]

    /// With explicit nulls, as docs/api.md shows it.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(description, forKey: .description)
        try container.encode(micro, forKey: .micro)
        try container.encode(schedule, forKey: .schedule)
        try container.encode(lastRun, forKey: .lastRun)
        try container.encode(nextRun, forKey: .nextRun)
        try container.encode(runs, forKey: .runs)
    }

    enum Keys: String, CodingKey { case id, name, description, micro, schedule, lastRun, nextRun, runs }
}

struct LogsActionRun: Encodable {
    let at: Date
    let trigger, result: String
    let succeeded: Bool

    init(_ run: ActionRun) {
        (at, trigger, result, succeeded) = (run.at, run.trigger.rawValue, run.result, run.succeeded)
    }
}
