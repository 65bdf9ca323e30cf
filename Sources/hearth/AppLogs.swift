import ArgumentParser
import Foundation
import HearthCore
import HearthRuntime

struct AppLogs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Show an instance's logs: its micros' output, the node's notes on them, and its builds.")

    @OptionGroup var options: DataOptions
    @Argument(help: "The instance's name or id.")
    var instance: String
    @Option(help: "Only this micro (default: all), or `build` for the build log.")
    var micro: String?
    @Option(name: [.customShort("n"), .long], help: "How many of the newest lines to show.")
    var lines = 100
    @Flag(name: .shortAndLong, help: "Keep printing new lines as they come (Ctrl-C stops).")
    var follow = false

    func run() async throws {
        let (_, info) = try await findInstance(instance, options)
        let layout = options.layout.instance(info)
        let names: [String]
        if micro == "build" {
            names = []
        } else if let micro {
            names = [micro]
        } else {
            names = ((try? Spacefile.load(directory: layout.app))?.micros.map(\.name)) ?? []
        }
        var files = names.map { (label: names.count > 1 ? $0 : nil, url: layout.log(micro: $0)) }
        if micro == "build" { files = [(nil, layout.buildLog)] }
        var tails = files.map { LogTail(file: $0.url, label: $0.label) }
        // Micros' lines start with a timestamp and are merged by it; one file (the build log,
        // whose lines carry none) keeps its own order.
        var merged = tails.indices.flatMap { tails[$0].lastLines(lines) }
        if tails.count > 1 { merged.sort { $0.time < $1.time } }
        merged = Array(merged.suffix(lines))
        emit(merged.map(\.text))
        guard follow else {
            if merged.isEmpty { print("No log lines yet; micros write here once they have run.") }
            return
        }
        while !Task.isCancelled {
            for index in tails.indices { emit(tails[index].newLines().map(\.text)) }
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}

/// Writes lines to stdout at once (`print` buffers when stdout is a pipe, which `-f` must not).
func emit(_ lines: [String]) {
    guard !lines.isEmpty else { return }
    FileHandle.standardOutput.write(Data(lines.map { $0 + "\n" }.joined().utf8))
}
