import Foundation
import Synchronization

/// Where a build reports what it is doing.
public protocol BuildProgress: Sendable {
    /// A step, for people: "Installing requirements for api (12 packages)…".
    func step(_ text: String)
    /// One raw line of a tool's output.
    func output(_ line: String)
}

/// Forwards progress and appends every line to the instance's build log.
struct LoggedProgress: BuildProgress {
    let forwarded: any BuildProgress
    let log: BuildLogFile

    func step(_ text: String) {
        log.append("==> \(text)")
        forwarded.step(text)
    }

    func output(_ line: String) {
        log.append(line)
        forwarded.output(line)
    }
}

/// An append-only text file; writes that fail are dropped (the log must never fail a build).
final class BuildLogFile: Sendable {
    /// Past this size, a new build moves the log to `<name>.1` (replacing an older one) and starts afresh.
    static let rotationSize = 4 << 20

    private let handle: Mutex<FileHandle?>

    /// Opens the log for the start of a new build, rotating it first if it has grown too large.
    static func startingBuild(_ url: URL) -> BuildLogFile {
        let size = ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue ?? 0
        if size > rotationSize {
            let previous = url.appendingPathExtension("1")
            try? FileManager.default.removeItem(at: previous)
            try? FileManager.default.moveItem(at: url, to: previous)
        }
        let log = BuildLogFile(url)
        log.append("==== \(Date()) ====")
        return log
    }

    init(_ url: URL) {
        let manager = FileManager.default
        try? manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !manager.fileExists(atPath: url.path) { _ = manager.createFile(atPath: url.path, contents: nil) }
        let handle = try? FileHandle(forWritingTo: url)
        _ = try? handle?.seekToEnd()
        self.handle = Mutex(handle)
    }

    deinit { handle.withLock { try? $0?.close() } }

    func append(_ line: String) {
        handle.withLock { try? $0?.write(contentsOf: Data((line + "\n").utf8)) }
    }
}
