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
    private let handle: Mutex<FileHandle?>

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
