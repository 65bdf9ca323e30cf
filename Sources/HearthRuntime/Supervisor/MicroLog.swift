import Foundation
import Synchronization

/// One micro's output log: each line stamped with the UTC time, appended to `<micro>.log`,
/// which rotates to `.log.1`, `.log.2`… past `maxBytes`; the newest lines are also kept in
/// memory for error pages.
public final class MicroLog: Sendable {
    public let file: URL
    let maxBytes: Int
    let generations: Int
    private let state: Mutex<State>

    private struct State {
        var handle: FileHandle?
        var size = 0
        var pending: [UInt8] = []
        var tail: [String] = []
    }

    static let tailLines = 40
    static let maxLineBytes = 16 * 1024

    public init(file: URL, maxBytes: Int = 4 * 1024 * 1024, generations: Int = 3) {
        self.file = file
        self.maxBytes = maxBytes
        self.generations = generations
        state = Mutex(State())
    }

    /// Appends raw process output; complete lines are written, a partial line waits for its end.
    public func append(output bytes: some Collection<UInt8>) {
        state.withLock { state in
            state.pending.append(contentsOf: bytes)
            while let newline = state.pending.firstIndex(of: 10) {
                let line = String(decoding: state.pending[..<newline], as: UTF8.self)
                state.pending.removeSubrange(...newline)
                write(line, into: &state)
            }
            if state.pending.count > Self.maxLineBytes {
                write(String(decoding: state.pending, as: UTF8.self), into: &state)
                state.pending.removeAll()
            }
        }
    }

    /// Writes a line of the node's own about this micro, marked `[hearth]`.
    public func note(_ message: String) {
        state.withLock { state in
            if !state.pending.isEmpty {
                write(String(decoding: state.pending, as: UTF8.self), into: &state)
                state.pending.removeAll()
            }
            write("[hearth] " + message, into: &state)
        }
    }

    /// The newest lines, oldest first.
    public func recentLines(_ count: Int = 20) -> [String] {
        state.withLock { Array($0.tail.suffix(count)) }
    }

    public func close() {
        state.withLock { state in
            try? state.handle?.close()
            state.handle = nil
        }
    }

    private func write(_ line: String, into state: inout State) {
        let stamped = Self.timestamp() + " " + line
        state.tail.append(stamped)
        if state.tail.count > Self.tailLines { state.tail.removeFirst(state.tail.count - Self.tailLines) }
        let data = Data((stamped + "\n").utf8)
        if state.handle == nil || state.size + data.count > maxBytes && state.size > 0 {
            if state.handle != nil { rotate(&state) }
            open(&state)
        }
        guard let handle = state.handle else { return }
        do {
            try handle.write(contentsOf: data)
            state.size += data.count
        } catch {
            try? handle.close()
            state.handle = nil
        }
    }

    private func open(_ state: inout State) {
        let manager = FileManager.default
        try? manager.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !manager.fileExists(atPath: file.path) { manager.createFile(atPath: file.path, contents: nil) }
        state.handle = try? FileHandle(forWritingTo: file)
        state.size = Int((try? state.handle?.seekToEnd()) ?? 0)
    }

    private func rotate(_ state: inout State) {
        try? state.handle?.close()
        state.handle = nil
        let manager = FileManager.default
        let path = file.path
        try? manager.removeItem(atPath: "\(path).\(generations - 1)")
        for generation in stride(from: generations - 2, through: 1, by: -1) {
            try? manager.moveItem(atPath: "\(path).\(generation)", toPath: "\(path).\(generation + 1)")
        }
        try? manager.moveItem(atPath: path, toPath: "\(path).1")
    }

    private static func timestamp() -> String {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        var parts = tm()
        var seconds = time_t(time.tv_sec)
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }
}
