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

/// A size on the command line: a number of bytes with an optional unit (KB, MB, GB, TB in
/// powers of 1000; KiB, MiB, GiB, TiB in powers of 1024).
struct ByteCount: ExpressibleByArgument {
    let bytes: Int64

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        let digits = text.prefix { $0.isNumber }
        let units: [String: Int64] = [
            "": 1, "B": 1, "KB": 1000, "MB": 1_000_000, "GB": 1_000_000_000, "TB": 1_000_000_000_000,
            "KIB": 1 << 10, "MIB": 1 << 20, "GIB": 1 << 30, "TIB": 1 << 40,
        ]
        let unit = text.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).uppercased()
        guard let count = Int64(digits), let scale = units[unit] else { return nil }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        self.bytes = bytes
    }
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
