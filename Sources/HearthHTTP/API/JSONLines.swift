import Foundation
import HearthCore
import HearthRuntime
import Hummingbird

/// A long call's answer as JSON lines (`application/x-ndjson`): `{"step": …}` and
/// `{"output": …}` while it works, `{}` every 10 seconds as a heartbeat, and last
/// `{"result": …}` or `{"error": …}`. The work runs in its own task and goes on if the client
/// leaves. Pushes, installs, updates and space imports answer this way.
enum JSONLines {
    /// Starts `work` with a progress that writes lines, and answers with the stream. `cleanup`
    /// runs when the work is done.
    static func build(
        cleanup: @escaping @Sendable () -> Void = {},
        _ work: @escaping @Sendable (any BuildProgress) async throws -> any Encodable & Sendable
    ) -> Response {
        let (lines, sink) = AsyncStream.makeStream(of: String.self)
        let heartbeat = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(10))
                sink.yield("{}")
            }
        }
        sink.onTermination = { _ in heartbeat.cancel() }
        Task {
            defer {
                cleanup()
                sink.finish()
            }
            do {
                let result = try await work(StreamedProgress(sink: sink))
                sink.yield(line(Result(result: result)))
            } catch {
                sink.yield(line(["error": message(error)]))
            }
        }
        return Response(
            status: .ok, headers: [.contentType: "application/x-ndjson", .cacheControl: "no-store"],
            body: ResponseBody { writer in
                for await line in lines { try await writer.write(ByteBuffer(string: line + "\n")) }
                try await writer.finish(nil)
            })
    }

    /// What a failure says to the owner.
    static func message(_ error: any Error) -> String {
        if let error = error as? APIError { return error.message }
        return (error as? any HearthError)?.message ?? "\(error)"
    }

    static func line(_ value: some Encodable) -> String {
        (try? String(decoding: APIResponse.encoder.encode(value), as: UTF8.self)) ?? "{}"
    }

    private struct Result: Encodable {
        let result: any Encodable & Sendable

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(result, forKey: .result)
        }

        enum Key: CodingKey { case result }
    }
}

/// Build progress as JSON lines on a streamed answer.
struct StreamedProgress: BuildProgress {
    let sink: AsyncStream<String>.Continuation

    func step(_ text: String) { sink.yield(JSONLines.line(["step": text])) }
    func output(_ line: String) { sink.yield(JSONLines.line(["output": line])) }
}
