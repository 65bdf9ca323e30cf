/// The values one cron field allows, kept as a bit set so the next allowed value is one instruction away.
public struct CronField: Sendable, Equatable {
    private var bits: UInt64 = 0

    /// Whether the field allows `value`.
    public func contains(_ value: Int) -> Bool {
        (0..<64).contains(value) && bits & (1 << UInt64(value)) != 0
    }

    /// The allowed values, ascending.
    public var values: [Int] { (0..<64).filter(contains) }

    /// The smallest allowed value that is at least `value`.
    func first(atOrAfter value: Int) -> Int? {
        guard value < 64 else { return nil }
        let remaining = bits & (UInt64.max << UInt64(max(value, 0)))
        return remaining == 0 ? nil : remaining.trailingZeroBitCount
    }

    mutating func insert(_ value: Int) { bits |= 1 << UInt64(value) }
}

/// How one of the five cron fields is written: its name, its values and their names.
struct CronFieldSyntax: Sendable {
    let name: String
    /// The values a number may take (day-of-week accepts 7 as Sunday).
    let range: ClosedRange<Int>
    /// What `*` and an open-ended `a/b` cover.
    let span: ClosedRange<Int>
    /// Names for the values from `span.lowerBound` on, such as `jan` for 1.
    let valueNames: [String]
    let allowsQuestionMark: Bool

    static let minute = CronFieldSyntax(name: "minute", range: 0...59, span: 0...59, valueNames: [], allowsQuestionMark: false)
    static let hour = CronFieldSyntax(name: "hour", range: 0...23, span: 0...23, valueNames: [], allowsQuestionMark: false)
    static let dayOfMonth = CronFieldSyntax(
        name: "day-of-month", range: 1...31, span: 1...31, valueNames: [], allowsQuestionMark: true)
    static let month = CronFieldSyntax(
        name: "month", range: 1...12, span: 1...12,
        valueNames: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        allowsQuestionMark: false)
    static let dayOfWeek = CronFieldSyntax(
        name: "day-of-week", range: 0...7, span: 0...6, valueNames: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
        allowsQuestionMark: true)

    /// Whether `text` leaves the field open (`*`, or `?` where allowed), as opposed to choosing values.
    func isUnrestricted(_ text: Substring) -> Bool { text == "*" || (allowsQuestionMark && text == "?") }

    /// Parses a comma-separated list of `*`, `n`, `a-b`, each optionally followed by `/step`.
    func parse(_ text: Substring) throws(ScheduleError) -> CronField {
        var field = CronField()
        if isUnrestricted(text) {
            span.forEach { field.insert($0) }
            return field
        }
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            try add(item, in: text, to: &field)
        }
        return field
    }

    private func add(_ item: Substring, in text: Substring, to field: inout CronField) throws(ScheduleError) {
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard !item.isEmpty, parts.count <= 2 else { throw problem(text, "\"\(item)\" is not a value, range or step") }
        var step = 1
        if parts.count == 2 {
            guard parts[1].isDecimalNumber, let number = Int(parts[1]), number > 0 else {
                throw problem(text, "the step \"\(parts[1])\" must be a positive whole number")
            }
            step = number
        }
        let bounds = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        let covered: ClosedRange<Int>
        switch bounds.count {
        case 1 where parts[0] == "*":
            covered = span
        case 1:
            let start = try value(parts[0], in: text)
            covered = start...(parts.count == 2 ? max(start, span.upperBound) : start)
        case 2:
            let start = try value(bounds[0], in: text)
            var end = try value(bounds[1], in: text)
            if start > end, end + span.count <= range.upperBound { end += span.count }  // `fri-sun` is Friday to Sunday
            guard start <= end else { throw problem(text, "the range \"\(parts[0])\" runs backwards") }
            covered = start...end
        default:
            throw problem(text, "\"\(parts[0])\" is not a value or a range")
        }
        for value in stride(from: covered.lowerBound, through: covered.upperBound, by: step) {
            field.insert(value > span.upperBound ? value - span.count : value)  // day-of-week 7 is Sunday, 0
        }
    }

    private func value(_ token: Substring, in text: Substring) throws(ScheduleError) -> Int {
        if token.isDecimalNumber, let number = Int(token), range.contains(number) { return number }
        if let index = valueNames.firstIndex(of: token.lowercased()) { return span.lowerBound + index }
        let names = valueNames.isEmpty ? "" : " or \(valueNames.first!)-\(valueNames.last!)"
        guard token == "?" else {
            throw problem(text, "\"\(token)\" is not allowed; expected \(range.lowerBound)-\(range.upperBound)\(names)")
        }
        throw problem(text, allowsQuestionMark ? "\"?\" must stand alone" : "\"?\" is only allowed in day-of-month and day-of-week")
    }

    func problem(_ text: Substring, _ message: String) -> ScheduleError {
        ScheduleError(ScheduleError.invalid, "\(name) \"\(text)\": \(message)")
    }
}
