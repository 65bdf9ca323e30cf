import ArgumentParser
import Foundation
import HearthCore
import HearthExport
import HearthHTTP

extension OpenedRelease {
    /// Fetches (for a URL) and verifies a release named on the command line, printing any
    /// failure; `work` must be a fresh directory.
    static func opening(_ argument: String, trustAnchor: String?, work: URL) async throws -> OpenedRelease {
        try await failing { try await OpenedRelease.open(argument, trustAnchor: trustAnchor, work: work) }
    }

    /// Unpacks the verified app into `directory`, printing any failure.
    func unpacking(into directory: URL) async throws -> URL {
        try await failing { try unpack(into: directory) }
    }
}

/// Asks a yes/no question on the terminal; `yes` answers it. Off a terminal without `yes` it
/// refuses, naming the flag. Throws `ExitCode(1)` after printing `declined` on a "no".
func confirm(_ question: String, yes: Bool, declined: String) throws {
    if yes { return }
    guard isatty(STDIN_FILENO) == 1 else {
        FileHandle.standardError.write(Data("error: not on a terminal: pass --yes to go ahead without confirming\n".utf8))
        throw ExitCode(1)
    }
    FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
    guard let answer = readLine()?.lowercased(), answer == "y" || answer == "yes" else {
        FileHandle.standardError.write(Data("\(declined)\n".utf8))
        throw ExitCode(1)
    }
}
