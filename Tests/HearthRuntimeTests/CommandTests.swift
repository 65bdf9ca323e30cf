import Foundation
import HearthCore
import Synchronization
import Testing

@testable import HearthRuntime

@Suite struct CommandTests {
    @Test func aFailingCommandNamesItselfAndItsLastLines() async throws {
        try await withBuildFixture { fixture in
            try fixture.write(["server/main.go": ""])
            let lines = (1...30).map { "echo line\($0)" }.joined(separator: "; ")
            let command = "\(lines); echo oops >&2; exit 3"
            let micro = Micro(name: "server", src: "server", engine: .custom, commands: ["true", command], run: "./server")
            let error = await buildError { try await fixture.stageAndBuild(micro) }

            #expect(error?.code == BuildError.commandFailed)
            let message = error?.message ?? ""
            #expect(message.hasPrefix("Command `\(command)` of micro server failed with exit status 3."))
            #expect(message.contains("line30\noops") && message.contains("line12") && !message.contains("line11\n"))
            #expect(fixture.progress.output.contains("line1"), "output is streamed as it comes")
            let log = try String(contentsOf: fixture.layout.buildLog, encoding: .utf8)
            #expect(log.contains("line30") && log.contains("The build of server failed"))
        }
    }

    @Test func commandsRunInTheSourceDirectoryOfTheWritableCopy() async throws {
        try await withBuildFixture { fixture in
            try fixture.write(["server/main.go": ""])
            let micro = Micro(name: "server", src: "server", engine: .custom, commands: ["pwd > where.txt"], run: "./server")
            try await fixture.stageAndBuild(micro)
            let written = try String(contentsOf: fixture.appFile("server/where.txt"), encoding: .utf8)
            #expect(written.trimmingCharacters(in: .newlines) == fixture.layout.app.appendingPathComponent("server").path)
        }
    }

    @Test func aCommandThatHangsIsKilledWithWhatItStarted() async throws {
        try await withBuildFixture(tools: { $0.commandTimeout = .milliseconds(300) }) { fixture in
            try fixture.write(["server/main.go": ""])
            let micro = Micro(name: "server", src: "server", engine: .custom, commands: ["sleep 60 & echo started; wait"], run: "x")
            let error = await buildError { try await fixture.stageAndBuild(micro) }
            #expect(error?.code == BuildError.commandFailed)
            #expect(error?.message.contains("did not finish within") == true)
            #expect(error?.message.contains("started") == true)
        }
    }

    @Test func subprocessesStreamLinesAndReportTheirStatus() async throws {
        let lines = LineCollector()
        let result = try await Subprocess(
            arguments: ["/bin/sh", "-c", "printf 'a\\nb\\r\\nno newline'; exit 7"], environment: [:],
            workingDirectory: URL(fileURLWithPath: "/"), timeout: .seconds(10)
        ).run { lines.append($0) }
        #expect(lines.all == ["a", "b", "no newline"])
        #expect(result.status == 7 && !result.timedOut && result.lastLines == ["a", "b", "no newline"])
    }
}

extension CommandTests {
    @Test func cancellingARunKillsTheTool() async throws {
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        let run = Task {
            try await Subprocess(
                arguments: ["/bin/sh", "-c", "echo started; sleep 60"], environment: [:],
                workingDirectory: URL(fileURLWithPath: "/"), timeout: .seconds(120)
            ).run { continuation.yield($0) }
        }
        for await line in lines where line == "started" { break }
        run.cancel()
        let result = try await run.value
        #expect(!result.succeeded && !result.timedOut && result.killedBySignal && result.status == SIGKILL)
    }
}

final class LineCollector: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }
}
