import Foundation

/// Reads a rotating log file (a `MicroLog`'s, or the build log): its last lines, then whatever
/// is appended, following rotation. `hearth app logs` and the owner API's log calls both read
/// logs this way, from the files, so they work whether or not the node is the writer.
public struct LogTail: Sendable {
    public struct Line: Sendable {
        /// The UTC timestamp that starts every line, for merging micros' logs in order.
        public let time: Substring
        public let text: String
    }

    public let file: URL
    public let label: String?
    private var offset: UInt64 = 0
    private var identity: UInt64 = 0

    /// The most of a file's end `lastLines` reads: enough for thousands of lines, without
    /// reading a whole 4 MB log for a screenful.
    static let maxTailBytes = 1 << 20

    public init(file: URL, label: String?) {
        self.file = file
        self.label = label
    }

    /// The newest `count` lines (from the rotated `.1` file too when the current one has fewer),
    /// and the position `newLines` continues from.
    public mutating func lastLines(_ count: Int) -> [Line] {
        let rotated = URL(fileURLWithPath: file.path + ".1")
        var text = Self.tail(of: file)
        if text.split(separator: "\n").count < count, !Self.tail(of: rotated).isEmpty {
            text = Self.tail(of: rotated) + text
        }
        (offset, identity) = position()
        return text.split(separator: "\n").suffix(count).map(line)
    }

    /// Lines appended since the last call; starts over when the file was rotated.
    public mutating func newLines() -> [Line] {
        let (size, inode) = position()
        if inode != identity || size < offset { (offset, identity) = (0, inode) }
        guard size > offset, let handle = try? FileHandle(forReadingFrom: file) else { return [] }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        guard let data = try? handle.readToEnd(), let end = data.lastIndex(of: 10) else { return [] }
        offset += UInt64(end + 1)
        return String(decoding: data[...end], as: UTF8.self).split(separator: "\n").map(line)
    }

    /// The end of a file as text, starting after a line break when it does not start at the top.
    private static func tail(of file: URL) -> String {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > UInt64(maxTailBytes) ? size - UInt64(maxTailBytes) : 0
        try? handle.seek(toOffset: start)
        guard var data = try? handle.readToEnd() else { return "" }
        if start > 0, let newline = data.firstIndex(of: 10) { data = data[(newline + 1)...] }
        return String(decoding: data, as: UTF8.self)
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
