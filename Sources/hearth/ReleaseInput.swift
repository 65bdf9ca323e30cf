import ArgumentParser
import Foundation
import HearthCore
import HearthExport
import HearthHTTP

/// A release named on the command line, a file or another node's URL: fetched into a private
/// work directory, its signature and hashes verified, its Spacefile read. Nothing from it runs
/// before `unpack`.
struct OpenedRelease {
    let file: URL
    /// How the instance records where it came from: the release id for a file, else the URL.
    let origin: String
    let manifest: ReleaseManifest
    let spacefile: Spacefile
    private let verifier = ReleaseVerifier()

    /// Fetches (for a URL) and verifies `argument`; `work` must be a fresh directory.
    static func open(_ argument: String, trustAnchor: String?, work: URL) async throws -> OpenedRelease {
        let (file, origin) = try await failing { try await fetch(argument, trustAnchor: trustAnchor, work: work) }
        let (manifest, spacefileText) = try await failing { try ReleaseVerifier().inspect(file) }
        do {
            return OpenedRelease(file: file, origin: origin, manifest: manifest, spacefile: try Spacefile.parse(spacefileText))
        } catch {
            FileHandle.standardError.write(Data("error: the release's Spacefile is not valid:\n\(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// Unpacks the verified app into `directory` and returns it.
    func unpack(into directory: URL) async throws -> URL {
        _ = try await failing { try verifier.unpack(file, into: directory) }
        return directory
    }

    private static func fetch(_ argument: String, trustAnchor: String?, work: URL) async throws -> (URL, String) {
        let lowered = argument.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
            let file = URL(fileURLWithPath: argument)
            return (file, file.lastPathComponent.hasSuffix(".zip") ? String(file.lastPathComponent.dropLast(4)) : file.path)
        }
        let file = work.appendingPathComponent("release.zip")
        try await ReleaseDownload.fetch(argument, to: file, maxBytes: ArchiveLimits.release.maxTotalBytes, trustAnchor: trustAnchor)
        return (file, argument)
    }
}

/// A private directory under `<data>/tmp` for one command's downloads and unpacked files,
/// removed by `remove()`.
struct WorkDirectory {
    let url: URL

    init(in layout: DataLayout, purpose: String) throws {
        url = layout.root.appendingPathComponent("tmp/\(purpose)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
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
