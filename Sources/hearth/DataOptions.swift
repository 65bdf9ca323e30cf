import ArgumentParser
import Foundation
import HearthCore
import HearthRegistry

/// The data directory option shared by every command.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The node's data directory (default: $HEARTH_DATA or ./hearth-data).", valueName: "dir"))
    var data: String?

    var directory: URL {
        URL(fileURLWithPath: data ?? ProcessInfo.processInfo.environment["HEARTH_DATA"] ?? "hearth-data")
    }

    var layout: DataLayout { DataLayout(root: directory) }

    func openRegistry() throws -> Registry {
        try Registry(layout: layout)
    }

    /// The master key file: `flag`, else `$HEARTH_MASTER_KEY`, else the data directory's default.
    func masterKeyFile(_ flag: String? = nil) -> URL? {
        (flag ?? ProcessInfo.processInfo.environment["HEARTH_MASTER_KEY"]).map { URL(fileURLWithPath: $0) }
    }
}

/// A size on the command line: bytes with an optional unit (`256M`, `1.5G`, `20GiB`,
/// `500MB`; see `ByteSize.parse`).
struct ByteCount: ExpressibleByArgument {
    let bytes: Int64

    init?(argument: String) {
        guard let bytes = ByteSize.parse(argument) else { return nil }
        self.bytes = bytes
    }
}

/// `on` or `off` on the command line.
enum Switch: String, ExpressibleByArgument, CaseIterable {
    case on, off

    var isOn: Bool { self == .on }
}

/// Prints a Hearth error as one clear line on stderr and exits with status 1.
func failing<T>(_ work: () async throws -> T) async throws -> T {
    do {
        return try await work()
    } catch let error as any HearthError {
        FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
        throw ExitCode(1)
    }
}

/// Writes an `Encodable` value as pretty JSON on stdout.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
