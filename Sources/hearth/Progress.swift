import Foundation
import Synchronization

/// A one-line progress bar on stderr for long transfers, redrawn at most ten times a second.
/// Silent when stderr is not a terminal, so scripts and logs get only the final result.
struct Progress {
    let title: String
    let total: Int64
    private let visible = isatty(STDERR_FILENO) == 1
    private let started = Date()
    private var drawn = Date.distantPast

    init(_ title: String, total: Int64) {
        self.title = title
        self.total = total
    }

    mutating func update(_ done: Int64) {
        guard visible, Date().timeIntervalSince(drawn) >= 0.1 || done == total else { return }
        drawn = Date()
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let width = 30, filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let rate = Double(done) / max(Date().timeIntervalSince(started), 0.001)
        let line = "\r\(title) \(bar) \(Int(fraction * 100))%  \(Self.size(done)) of \(Self.size(total))  \(Self.size(Int64(rate)))/s "
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        if visible { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// A byte count for people: `512 B`, `1.5 MB`, `2.0 GB` (powers of 1000).
    static func size(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes), unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}

/// A progress bar fed from a `@Sendable` callback (done, total), drawn once the total is known.
final class ProgressFeed: Sendable {
    private let bar: Mutex<Progress?> = Mutex(nil)
    private let title: String

    init(_ title: String) { self.title = title }

    func update(_ done: Int64, _ total: Int64) {
        bar.withLock { bar in
            if bar == nil { bar = Progress(title, total: total) }
            bar?.update(done)
        }
    }

    func finish() {
        bar.withLock { $0?.finish() }
    }
}
