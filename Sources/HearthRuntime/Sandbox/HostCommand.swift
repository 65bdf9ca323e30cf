import Foundation

/// A short system command of the sandbox's setup (`mkfs.ext4`, `mount`), run to its end.
enum HostCommand {
    /// Runs `arguments` (an absolute path first) and returns its output; a failure names the
    /// command and what it printed.
    @discardableResult
    static func run(_ arguments: [String]) throws(RuntimeError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.environment = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw RuntimeError(RuntimeError.launchFailed, "Cannot run \(arguments[0])", cause: error)
        }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let command = arguments.map { ($0 as NSString).lastPathComponent }.prefix(2).joined(separator: " ")
            throw RuntimeError(
                RuntimeError.launchFailed,
                "\(command) failed: \(output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last ?? "status \(process.terminationStatus)")"
            )
        }
        return output
    }

    /// The first of `names` found in the system's sbin and bin directories.
    static func locate(_ name: String) -> String? {
        for directory in ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin", "/usr/local/sbin"] {
            let path = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
