/// A parsed five-field cron expression, evaluated in UTC: minute, hour, day of month, month, day of week.
///
/// Each field takes `*`, values, ranges `a-b`, lists `a,b` and steps (`*/b`, `a/b` from `a` to the field's end,
/// `a-b/c`); months and weekdays take names (`jan`, `mon`, any case); Sunday is 0 or 7; `?` may stand for
/// `*` in day-of-month or day-of-week. At least one of those two must be `*` or `?`, so a day matches on the
/// other alone, and an expression that can never fire (`0 0 31 2 *`) is refused.
public struct CronExpression: Sendable, Equatable {
    /// The text as written in the Spacefile.
    public let source: String
    public let minute: CronField
    public let hour: CronField
    public let dayOfMonth: CronField
    public let month: CronField
    /// 0 (Sunday) through 6 (Saturday).
    public let dayOfWeek: CronField

    /// Parses `text`; the error message names the field at fault.
    public init(parsing text: String) throws(ScheduleError) {
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count == 5 else {
            throw ScheduleError(
                ScheduleError.invalid,
                "\"\(text)\" has \(fields.count) fields; a cron expression has 5: minute hour day-of-month month day-of-week")
        }
        source = text
        minute = try CronFieldSyntax.minute.parse(fields[0])
        hour = try CronFieldSyntax.hour.parse(fields[1])
        dayOfMonth = try CronFieldSyntax.dayOfMonth.parse(fields[2])
        month = try CronFieldSyntax.month.parse(fields[3])
        dayOfWeek = try CronFieldSyntax.dayOfWeek.parse(fields[4])
        guard CronFieldSyntax.dayOfMonth.isUnrestricted(fields[2]) || CronFieldSyntax.dayOfWeek.isUnrestricted(fields[4])
        else {
            throw ScheduleError(
                ScheduleError.invalid, "\"\(text)\": day-of-month and day-of-week cannot both be set; use * or ? in one of them")
        }
        let firstDay = dayOfMonth.first(atOrAfter: 1) ?? 1
        guard month.values.contains(where: { firstDay <= UTCCalendar.longestMonthLength($0) }) else {
            throw ScheduleError(ScheduleError.invalid, "\"\(text)\" never runs: no chosen month has the chosen day of the month")
        }
    }
}
