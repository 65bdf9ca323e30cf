/// One problem in a Spacefile: where it is and what is wrong.
public struct SpacefileProblem: Sendable, Equatable, CustomStringConvertible {
    /// The field path, such as `micros[1].engine`; empty for the file as a whole.
    public var field: String
    /// The 1-based line the problem is on, when known.
    public var line: Int?
    public var message: String

    public init(field: String = "", line: Int? = nil, message: String) {
        self.field = field
        self.line = line
        self.message = message
    }

    /// `micros[1].engine (line 7): "python3.7" is not an engine; …`
    public var description: String {
        switch (field.isEmpty, line) {
        case (true, nil): message
        case (true, let line?): "line \(line): \(message)"
        case (false, nil): "\(field): \(message)"
        case (false, let line?): "\(field) (line \(line)): \(message)"
        }
    }
}

/// Why a Spacefile could not be used: it is missing or unreadable, or it has problems, all of which are listed.
public struct SpacefileError: HearthError {
    public var code: ErrorCode
    /// Every problem found, in file order within each stage (syntax, then fields, then checks across micros).
    public var problems: [SpacefileProblem]
    public var cause: (any Error)?

    public init(_ code: ErrorCode, problems: [SpacefileProblem], cause: (any Error)? = nil) {
        self.code = code
        self.problems = problems
        self.cause = cause
    }

    init(_ code: ErrorCode, _ message: String, cause: (any Error)? = nil) {
        self.init(code, problems: [SpacefileProblem(message: message)], cause: cause)
    }

    /// The problems, one per line, as a command line tool prints them.
    public var message: String { problems.map(\.description).joined(separator: "\n") }

    public var description: String { message }

    /// There is no file named exactly `Spacefile` in the app directory.
    public static var notFound: ErrorCode { "spacefile.not_found" }
    /// The file could not be read, is too large or is not UTF-8 text.
    public static var unreadable: ErrorCode { "spacefile.unreadable" }
    /// The file is not valid YAML or breaks the Spacefile rules.
    public static var invalid: ErrorCode { "spacefile.invalid" }
}
