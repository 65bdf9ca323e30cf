import ArgumentParser
import Foundation
import HearthCore
import HearthDrive
import HearthRegistry

struct DriveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drive",
        abstract: "Store, fetch, list and delete the files of a collection's Drive.",
        discussion: "Works on the data directory directly, also while a node runs on it.",
        subcommands: [Put.self, Get.self, List.self, Remove.self])

    /// The arguments every drive command starts with.
    struct Target: ParsableArguments {
        @OptionGroup var options: DataOptions
        @Option(
            help: ArgumentHelp("The node master key file (default: $HEARTH_MASTER_KEY or <data>/secrets/master.key).", valueName: "file"))
        var masterKey: String?
        @Argument(help: "The collection's name or project id.")
        var collection: String
        @Argument(help: "The Drive's name.")
        var drive: String

        func open() async throws -> DriveStore {
            try await failing {
                try DriveName.validateDrive(drive)
                let registry = try options.openRegistry()
                let info = try await registry.collection(collection)
                return try OpenCollections(layout: options.layout, masterKeyFile: options.masterKeyFile(masterKey), registry: registry)
                    .drive(info)
            }
        }
    }

    struct Put: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Upload a local file, replacing any file of the same name.")

        @OptionGroup var target: Target
        @Argument(help: "The local file to upload.", completion: .file())
        var file: String
        @Option(help: "The name in the Drive (default: the local file's name).")
        var name: String?
        @Option(help: "The content type (default: guessed from the name).")
        var contentType: String?
        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            let store = try await target.open()
            let name = self.name ?? URL(fileURLWithPath: file).lastPathComponent
            try await failing { try DriveName.validate(name, maxBytes: store.limits.maxNameBytes) }
            guard let input = FileHandle(forReadingAtPath: file) else { throw ValidationError("Cannot read '\(file)'.") }
            defer { try? input.close() }
            let total = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int64) ?? 0
            let info = try await failing {
                let writer = try await store.newWriter()
                var progress = Progress("Uploading \(name)", total: total)
                while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                    try writer.append(chunk)
                    progress.update(writer.size)
                }
                progress.finish()
                return try await store.commitFile(drive: target.drive, name: name, contentType: contentType, writer: writer)
            }
            if json {
                try printJSON(FileSummary(info))
            } else {
                print("Stored \(info.name) (\(Progress.size(info.size)), \(info.contentType), sha256 \(info.sha256))")
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Download a file to a local path or stdout.")

        @OptionGroup var target: Target
        @Argument(help: "The file's name in the Drive.")
        var name: String
        @Option(name: .shortAndLong, help: ArgumentHelp("Where to write it; '-' or nothing for stdout.", valueName: "path"))
        var output: String?

        func run() async throws {
            let store = try await target.open()
            try await failing {
                guard let file = try await store.open(drive: target.drive, name: name) else {
                    throw DriveError(DriveError.fileNotFound, "No file named '\(name)' in drive '\(target.drive)'")
                }
                let toStdout = output == nil || output == "-"
                let path = output ?? "-"
                // Written aside and renamed at the end, so a failed download never leaves half a file.
                let staging = toStdout ? "" : path + ".hearth-partial"
                if !toStdout && !FileManager.default.createFile(atPath: staging, contents: nil) {
                    throw DriveError(DriveError.storage, "Cannot write '\(path)'")
                }
                let handle = toStdout ? FileHandle.standardOutput : try FileHandle(forWritingTo: URL(fileURLWithPath: staging))
                var progress = Progress("Downloading \(name)", total: file.info.size)
                var offset: Int64 = 0
                do {
                    while offset < file.info.size {
                        let bytes = try file.read(offset: offset, count: 1 << 20)
                        try handle.write(contentsOf: bytes)
                        offset += Int64(bytes.count)
                        progress.update(offset)
                    }
                    progress.finish()
                    if !toStdout {
                        try handle.close()
                        guard rename(staging, path) == 0 else { throw DriveError(DriveError.storage, "Cannot write '\(path)'") }
                    }
                } catch {
                    if !toStdout { try? FileManager.default.removeItem(atPath: staging) }
                    throw error
                }
                if !toStdout { FileHandle.standardError.write(Data("Saved \(name) to \(path) (\(Progress.size(file.info.size)))\n".utf8)) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List a Drive's files.")

        @OptionGroup var target: Target
        @Option(help: "Only names starting with this.")
        var prefix = ""
        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            let store = try await target.open()
            var files: [DriveFileInfo] = []
            try await failing {
                while true {
                    let page = try await store.files(drive: target.drive, prefix: prefix, after: files.last?.name)
                    files += page
                    if page.isEmpty { break }
                }
            }
            if json {
                try printJSON(files.map(FileSummary.init))
            } else if files.isEmpty {
                print("No files.")
            } else {
                let dates = ISO8601DateFormatter()
                print(
                    Table(
                        ["NAME", "SIZE", "TYPE", "MODIFIED"],
                        files.map { [$0.name, Progress.size($0.size), $0.contentType, dates.string(from: $0.modified)] }))
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete files.")

        @OptionGroup var target: Target
        @Argument(help: "The names of the files to delete.")
        var names: [String]

        func validate() throws {
            guard !names.isEmpty else { throw ValidationError("Name at least one file.") }
        }

        func run() async throws {
            let store = try await target.open()
            let result = try await failing { try await store.delete(drive: target.drive, names: names) }
            for name in result.deleted { print("Deleted \(name)") }
            for failure in result.failed { FileHandle.standardError.write(Data("error: '\(failure.name)': \(failure.reason)\n".utf8)) }
            if !result.failed.isEmpty { throw ExitCode(1) }
        }
    }
}

/// A file's facts as the CLI prints them in JSON.
struct FileSummary: Encodable {
    let name: String
    let size: Int64
    let contentType: String
    let sha256: String
    let modified: Date

    init(_ info: DriveFileInfo) {
        (name, size, contentType, sha256, modified) = (info.name, info.size, info.contentType, info.sha256, info.modified)
    }
}
