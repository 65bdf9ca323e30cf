import Foundation

/// When a scheduled action runs: a rate (`"2 hours"`) or a five-field UTC cron expression (spec §4.6).
public enum Schedule: Sendable, Equatable {
    case rate(Int, RateUnit)
    case cron(CronExpression)

    public enum RateUnit: String, Sendable {
        case minute, hour, day

        /// The unit's length; UTC has no leap seconds in Unix time, so a day is always 86 400 s.
        public var seconds: Int {
            switch self {
            case .minute: 60
            case .hour: 3600
            case .day: 86_400
            }
        }
    }

    /// Parses a `default_interval`: a rate such as `"1 minute"` or `"5 days"`, or a cron expression such as
    /// `"0/5 8-17 * * mon-fri"`.
    public init(parsing text: String) throws(ScheduleError) {
        let words = text.split(whereSeparator: \.isWhitespace)
        switch words.count {
        case 2: self = try Self.parseRate(value: String(words[0]), unit: String(words[1]))
        case 5: self = .cron(try CronExpression(parsing: text))
        default:
            throw ScheduleError(
                ScheduleError.invalid,
                "\"\(text)\" is not a schedule; expected a rate such as \"2 hours\" "
                    + "or five cron fields (minute hour day-of-month month day-of-week) such as \"0 10 * * *\"")
        }
    }

    /// The first run strictly after `after`, or nil if there is none that can be computed.
    ///
    /// A rate counts from `anchor` (the install time) rounded up to a whole minute, hour or UTC day, as the
    /// unit says, and then runs every `n` units. A cron expression ignores `anchor` and gives the next
    /// matching UTC minute; every expression that parses fires within a few years, so nil only comes for
    /// dates beyond the computable range.
    public func nextRun(after: Date, anchor: Date) -> Date? {
        switch self {
        case .cron(let expression):
            return expression.nextRun(after: after)
        case .rate(let count, let unit):
            let unitSeconds = Double(unit.seconds)
            let first = (anchor.timeIntervalSince1970 / unitSeconds).rounded(.up) * unitSeconds
            let now = after.timeIntervalSince1970
            guard now >= first else { return Date(timeIntervalSince1970: first) }
            let period = Double(count) * unitSeconds
            let periodsDone = ((now - first) / period).rounded(.down) + 1
            return Date(timeIntervalSince1970: first + periodsDone * period)
        }
    }

    private static func parseRate(value: String, unit: String) throws(ScheduleError) -> Schedule {
        let text = "\(value) \(unit)"
        guard value.isDecimalNumber, let count = Int(value), count > 0 else {
            throw ScheduleError(ScheduleError.invalid, "\"\(text)\": the rate must start with a positive whole number")
        }
        let name = unit.lowercased()
        let singular = name.hasSuffix("s") ? String(name.dropLast()) : name
        guard let rateUnit = RateUnit(rawValue: singular) else {
            throw ScheduleError(ScheduleError.invalid, "\"\(text)\": \"\(unit)\" is not a unit; expected minute(s), hour(s) or day(s)")
        }
        let expected = count == 1 ? singular : singular + "s"
        guard name == expected else {
            throw ScheduleError(ScheduleError.invalid, "\"\(text)\": write \"\(count) \(expected)\"")
        }
        return .rate(count, rateUnit)
    }
}

extension StringProtocol {
    /// Whether the text is one or more ASCII digits (no sign, no spaces).
    var isDecimalNumber: Bool { !isEmpty && utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }
}
