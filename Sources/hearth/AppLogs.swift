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

/// Reads a rotating log file: its last lines, then whatever is appended (following rotation).
struct LogTail {
    struct Line {
        /// The UTC timestamp that starts every line, for merging micros' logs in order.
        let time: Substring
        let text: String
    }

    let file: URL
    let label: String?
    private var offset: UInt64 = 0
    private var identity: UInt64 = 0

    init(file: URL, label: String?) {
        self.file = file
        self.label = label
    }

    mutating func lastLines(_ count: Int) -> [Line] {
        let rotated = URL(fileURLWithPath: file.path + ".1")
        var text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        if text.split(separator: "\n").count < count, let older = try? String(contentsOf: rotated, encoding: .utf8) {
            text = older + text
        }
        (offset, identity) = position()
        return text.split(separator: "\n").suffix(count).map(line)
    }

    /// Lines appended since the last call; starts over when the file was rotated.
    mutating func newLines() -> [Line] {
        let (size, inode) = position()
        if inode != identity || size < offset { (offset, identity) = (0, inode) }
        guard size > offset, let handle = try? FileHandle(forReadingFrom: file) else { return [] }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        guard let data = try? handle.readToEnd(), let end = data.lastIndex(of: 10) else { return [] }
        offset += UInt64(end + 1)
        return String(decoding: data[...end], as: UTF8.self).split(separator: "\n").map(line)
    }

    private func position() -> (UInt64, UInt64) {
        var info = stat()
        guard stat(file.path, &info) == 0 else { return (0, 0) }
        return (UInt64(info.st_size), UInt64(info.st_ino))
    }

    private func line(_ text: Substring) -> Line {
        let time = text.prefix { $0 != " " }
        guard let label else { return Line(time: time, text: String(text)) }
        return Line(time: time, text: "\(time) \(label) |\(text.dropFirst(time.count))")
    }
}
