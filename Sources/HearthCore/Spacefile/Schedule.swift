import Foundation

/// When a scheduled action runs: a rate (`"2 hours"`) or a five-field UTC cron expression.
public enum Schedule: Sendable, Equatable {
    case rate(Int, RateUnit)
    case cron(CronExpression)

    public enum RateUnit: String, Sendable {
        case minute, hour, day
    }
}

/// A parsed cron expression (minute, hour, day of month, month, day of week; UTC).
public struct CronExpression: Sendable, Equatable {
    /// The text as written in the Spacefile.
    public var source: String
}
