import Foundation
import HearthCore
import PropertyBased
import Synchronization
import Testing

/// A UTC instant written as `2024-03-01T10:00:30`.
func utc(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.date(from: text + "Z")!
}

@Suite struct ScheduleNextRunTests {
    @Test(arguments: [
        ("0 10 * * *", "2024-03-01T09:59:59", "2024-03-01T10:00:00"),
        ("0 10 * * *", "2024-03-01T10:00:00", "2024-03-02T10:00:00"),
        ("0 10 * * *", "2024-03-01T10:00:30", "2024-03-02T10:00:00"),
        ("0 18 * * mon-fri", "2024-03-01T18:00:00", "2024-03-04T18:00:00"),  // Friday evening to Monday
        ("0 18 * * mon-fri", "2024-03-02T09:00:00", "2024-03-04T18:00:00"),
        ("0/5 8-17 * * mon-fri", "2024-03-01T17:55:00", "2024-03-04T08:00:00"),
        ("0/5 8-17 * * mon-fri", "2024-03-04T08:02:00", "2024-03-04T08:05:00"),
        ("0/5 8-17 * * mon-fri", "2024-03-01T12:07:10", "2024-03-01T12:10:00"),
        ("*/15 * * * *", "2024-12-31T23:50:00", "2025-01-01T00:00:00"),
        ("*/15 * * * *", "2024-03-01T10:15:00", "2024-03-01T10:30:00"),
        ("0 0 1 jan,jul *", "2024-03-05T00:00:00", "2024-07-01T00:00:00"),
        ("0 0 1 jan,jul *", "2024-07-01T00:00:00", "2025-01-01T00:00:00"),
        ("30 6 * * 0", "2024-03-01T00:00:00", "2024-03-03T06:30:00"),
        ("30 6 * * 7", "2024-03-01T00:00:00", "2024-03-03T06:30:00"),
        ("30 6 * * sun", "2024-03-03T06:30:00", "2024-03-10T06:30:00"),
        ("0 12 29 2 *", "2024-03-01T00:00:00", "2028-02-29T12:00:00"),
        ("0 12 29 2 *", "2096-03-01T00:00:00", "2104-02-29T12:00:00"),  // 2100 is not a leap year
        ("0 9 ? * mon", "2024-03-01T00:00:00", "2024-03-04T09:00:00"),
        ("0 9 15 * ?", "2024-03-15T09:00:00", "2024-04-15T09:00:00"),
        ("0 0 31 * *", "2024-04-01T00:00:00", "2024-05-31T00:00:00"),
        ("59 23 31 12 *", "2024-12-31T23:59:00", "2025-12-31T23:59:00"),
        ("* * * * *", "1969-12-31T23:59:30", "1970-01-01T00:00:00"),
        ("0 0 * * thu", "1969-12-01T00:00:00", "1969-12-04T00:00:00"),
    ])
    func cronRunsAtTheNextMatchingMinute(cron: String, after: String, expected: String) throws {
        let schedule = try Schedule(parsing: cron)
        #expect(schedule.nextRun(after: utc(after), anchor: utc("2000-01-01T00:00:00")) == utc(expected))
    }

    @Test(arguments: [
        ("1 minute", "2024-03-01T10:00:30", "2024-03-01T10:01:00"),
        ("1 minute", "2024-03-01T10:01:00", "2024-03-01T10:02:00"),
        ("1 minute", "2024-03-01T10:05:30", "2024-03-01T10:06:00"),
        ("2 hours", "2024-03-01T10:00:30", "2024-03-01T11:00:00"),
        ("2 hours", "2024-03-01T11:00:00", "2024-03-01T13:00:00"),
        ("2 hours", "2024-03-01T12:59:59", "2024-03-01T13:00:00"),
        ("5 days", "2024-03-01T10:00:30", "2024-03-02T00:00:00"),
        ("5 days", "2024-03-02T00:00:00", "2024-03-07T00:00:00"),
        ("5 days", "2024-03-10T00:00:00", "2024-03-12T00:00:00"),
        ("5 days", "2020-01-01T00:00:00", "2024-03-02T00:00:00"),  // before the install: the first run
    ])
    func ratesCountFromTheInstallTimeRoundedUp(rate: String, after: String, expected: String) throws {
        let schedule = try Schedule(parsing: rate)
        #expect(schedule.nextRun(after: utc(after), anchor: utc("2024-03-01T10:00:30")) == utc(expected))
    }

    @Test func anInstallOnTheBoundaryRunsRightThen() throws {
        let schedule = try Schedule(parsing: "1 hour")
        let anchor = utc("2024-03-01T10:00:00")
        #expect(schedule.nextRun(after: utc("2024-03-01T09:59:00"), anchor: anchor) == anchor)
        #expect(schedule.nextRun(after: anchor, anchor: anchor) == utc("2024-03-01T11:00:00"))
    }

    @Test func datesBeyondReachHaveNoNextRun() throws {
        let cron = try CronExpression(parsing: "0 0 * * *")
        #expect(cron.nextRun(after: Date(timeIntervalSince1970: 1e300)) == nil)
        #expect(cron.nextRun(after: .distantFuture) != nil)
    }

    /// Random expressions and instants: the result is a whole minute after `after`, matches every field,
    /// and, when it is less than a day away, no minute in between matches.
    @Test func nextRunMatchesTheFieldsAndSkipsNothing() async {
        let checked = Mutex(0)
        await propertyCheck(count: 400, input: Gen.uint64(), Gen.dateTime(inYear: 1960...2300)) { seed, after in
            var random = SeededRandom(seed: seed)
            guard let cron = try? CronExpression(parsing: random.cronExpression()) else { return }
            checked.withLock { $0 += 1 }
            guard let next = cron.nextRun(after: after) else {
                Issue.record("\(cron.source) has no run after \(after)")
                return
            }
            #expect(next > after, "\(cron.source) after \(after)")
            #expect(next.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) == 0)
            #expect(next.timeIntervalSince(after) < 9 * 366 * 86_400)
            #expect(matches(cron, next), "\(cron.source) after \(after) gave \(next)")
            guard next.timeIntervalSince(after) <= 86_400 else { return }
            var minute = (after.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60
            while minute < next.timeIntervalSince1970 {
                #expect(!matches(cron, Date(timeIntervalSince1970: minute)), "\(cron.source) skipped \(minute)")
                minute += 60
            }
        }
        #expect(checked.withLock { $0 } > 300, "most generated expressions are valid")
    }

    /// Whether `date` matches the expression, judged by Foundation's Gregorian calendar.
    private func matches(_ cron: CronExpression, _ date: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: date)
        return cron.minute.contains(parts.minute!) && cron.hour.contains(parts.hour!) && cron.dayOfMonth.contains(parts.day!)
            && cron.month.contains(parts.month!) && cron.dayOfWeek.contains(parts.weekday! - 1)
    }
}

/// A deterministic generator of cron expressions, so each property case is reproducible from its seed.
struct SeededRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }

    /// One field: `*` often, else a value, a range, a step or a short list.
    mutating func field(_ range: ClosedRange<Int>, names: [String] = []) -> String {
        func value(_ random: inout SeededRandom) -> String {
            let number = random.int(range)
            let nameIndex = number - range.lowerBound
            return nameIndex < names.count && random.int(0...1) == 1 ? names[nameIndex] : String(number)
        }
        switch int(0...6) {
        case 0, 1: return "*"
        case 2: return value(&self)
        case 3:
            let start = int(range)
            return "\(start)-\(int(start...range.upperBound))"
        case 4: return "*/\(int(1...range.count / 2))"
        case 5: return "\(int(range))/\(int(1...9))"
        default: return (0..<int(2...4)).map { _ in value(&self) }.joined(separator: ",")
        }
    }

    mutating func cronExpression() -> String {
        let restrictDayOfWeek = int(0...1) == 1
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        return [
            field(0...59), field(0...23), restrictDayOfWeek ? (int(0...1) == 1 ? "?" : "*") : field(1...31),
            field(1...12, names: months),
            restrictDayOfWeek ? field(0...7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"]) : "*",
        ].joined(separator: " ")
    }
}
