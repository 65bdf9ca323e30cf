import ArgumentParser
import Foundation

/// How a command gets a new passphrase: from the first line of stdin (`--passphrase-stdin`,
/// for scripts), or typed twice at a terminal without echo.
struct PassphraseInput: ParsableArguments {
    @Flag(help: "Read the passphrase from the first line of stdin instead of asking for it.")
    var passphraseStdin = false

    func read() throws -> String {
        if passphraseStdin {
            guard let line = Swift.readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("--passphrase-stdin: no passphrase on stdin.")
            }
            return line
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw ValidationError("No terminal to ask for the passphrase on; pass it on stdin with --passphrase-stdin.")
        }
        let first = Self.ask("Passphrase (8 or more characters): ")
        guard Self.ask("Passphrase again: ") == first else { throw ValidationError("The passphrases differ.") }
        return first
    }

    /// Reads a line from the terminal with echo off.
    static func ask(_ prompt: String) -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var settings = termios()
        tcgetattr(STDIN_FILENO, &settings)
        var silent = settings
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &settings)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return Swift.readLine(strippingNewline: true) ?? ""
    }
}

/// Asks for a value at the terminal when it was not given as an option.
func prompted(_ value: String?, _ prompt: String) throws -> String {
    if let value { return value }
    guard isatty(STDIN_FILENO) == 1 else { throw ValidationError("\(prompt) is required (no terminal to ask on).") }
    FileHandle.standardError.write(Data("\(prompt): ".utf8))
    guard let line = Swift.readLine(strippingNewline: true), !line.isEmpty else { throw ValidationError("\(prompt) is required.") }
    return line
}
