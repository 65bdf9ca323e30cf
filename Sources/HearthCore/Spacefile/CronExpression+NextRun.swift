import Foundation

extension CronExpression {
    /// Every expression that parses fires within this many years (29 February can be eight years away).
    private static let searchYears = 10

    /// The first whole UTC minute strictly after `date` that the expression matches, found by skipping whole
    /// months, days and hours that cannot match. Nil when `date` is beyond what can be computed, or (never,
    /// for an expression that parsed) when nothing matches within ten years.
    public func nextRun(after date: Date) -> Date? {
        let firstCandidate = (date.timeIntervalSince1970 / 60).rounded(.down) + 1
        guard abs(firstCandidate) < 1e13 else { return nil }
        let minutes = Int(firstCandidate)
        let firstDayNumber = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440
        var day = UTCCalendar.day(firstDayNumber)
        var (atHour, atMinute) = ((minutes - firstDayNumber * 1440) / 60, (minutes - firstDayNumber * 1440) % 60)
        let lastYear = day.year + Self.searchYears

        while day.year <= lastYear {
            if !month.contains(day.month) || day.day > UTCCalendar.monthLength(year: day.year, month: day.month) {
                if let next = month.first(atOrAfter: day.month + 1) {
                    day.month = next
                } else {
                    day.year += 1
                    day.month = month.first(atOrAfter: 1) ?? 1
                }
                (day.day, atHour, atMinute) = (1, 0, 0)
                continue
            }
            let dayNumber = UTCCalendar.dayNumber(day)
            guard dayOfMonth.contains(day.day), dayOfWeek.contains(UTCCalendar.weekday(dayNumber)),
                let matchingHour = hour.first(atOrAfter: atHour)
            else {
                (day.day, atHour, atMinute) = (day.day + 1, 0, 0)
                continue
            }
            if matchingHour != atHour { (atHour, atMinute) = (matchingHour, 0) }
            guard let matchingMinute = minute.first(atOrAfter: atMinute) else {
                (atHour, atMinute) = (atHour + 1, 0)
                continue
            }
            return Date(timeIntervalSince1970: Double((dayNumber * 1440 + atHour * 60 + matchingMinute) * 60))
        }
        return nil
    }
}
