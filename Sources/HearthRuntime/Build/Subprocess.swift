import Foundation
import HearthCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a tool run ended.
struct SubprocessResult: Sendable {
    var status: Int32
    /// Whether `status` is the number of the signal that ended the tool.
    var killedBySignal = false
    var timedOut: Bool
    /// The last lines of its merged stdout and stderr.
    var lastLines: [String]

    var succeeded: Bool { status == 0 && !timedOut }
}

/// One run of a build tool: merged stdout and stderr streamed line by line, a time limit, and
/// waiting done on a thread of its own, never on the cooperative pool. The tool runs in its own
/// process group, so a timeout or a cancelled task kills it with everything it started.
struct Subprocess: Sendable {
    static let keptLines = 20

    var arguments: [String]
    var environment: [String: String]
    var workingDirectory: URL
    var timeout: Duration

    func run(output: @escaping @Sendable (String) -> Void) async throws(BuildError) -> SubprocessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.environment = environment
        process.currentDirectoryURL = workingDirectory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw BuildError(BuildError.toolMissing, "Could not start \(arguments[0])", cause: error)
        }
        let group = ProcessGroup(id: process.processIdentifier)
        let reader = pipe.fileHandleForReading
        let deadline = DispatchTime.now() + .nanoseconds(Int(timeout.nanoseconds))
        DispatchQueue.global().asyncAfter(deadline: deadline) { group.kill(becauseOfTimeout: true) }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                Thread {
                    let lastLines = Self.readLines(from: reader, output: output)
                    process.waitUntilExit()
                    let timedOut = group.finish()
                    continuation.resume(
                        returning: SubprocessResult(
                            status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
                            timedOut: timedOut, lastLines: lastLines))
                }.start()
            }
        } onCancel: {
            group.kill(becauseOfTimeout: false)
        }
    }

    /// Reads until every writer has closed the pipe, passing on complete lines; returns the last ones.
    private static func readLines(from handle: FileHandle, output: (String) -> Void) -> [String] {
        var tail: [String] = []
        var pending = Data()
        func emit(_ bytes: Data) {
            var line = String(decoding: bytes, as: UTF8.self)
            if line.hasSuffix("\r") { line.removeLast() }
            output(line)
            tail.append(line)
            if tail.count > keptLines { tail.removeFirst() }
        }
        // Plain read(2): Foundation's `availableData` traps when a signal interrupts it.
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            pending.append(contentsOf: buffer[..<count])
            while let newline = pending.firstIndex(of: 0x0A) {
                emit(pending[pending.startIndex..<newline])
                pending = pending[pending.index(after: newline)...]
            }
        }
        if !pending.isEmpty { emit(pending) }
        try? handle.close()
        return tail
    }
}

/// The process group of one tool run; killable until the run is over.
private final class ProcessGroup: Sendable {
    private struct State {
        var running = true
        var timedOut = false
    }

    private let id: pid_t
    private let state = Mutex(State())

    init(id: pid_t) { self.id = id }

    func kill(becauseOfTimeout: Bool) {
        state.withLock { state in
            guard state.running else { return }
            if becauseOfTimeout { state.timedOut = true }
            _ = killpg(id, SIGKILL)
        }
    }

    /// Marks the run over (no later kill can hit a reused id); returns whether it timed out.
    func finish() -> Bool {
        state.withLock { state in
            state.running = false
            return state.timedOut
        }
    }
}
