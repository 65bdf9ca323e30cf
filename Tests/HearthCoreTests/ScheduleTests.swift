import Foundation
import HearthCore
import Testing

@Suite struct ScheduleTests {
    @Test(arguments: [
        ("1 minute", Schedule.rate(1, .minute)), ("2 hours", .rate(2, .hour)), ("5 days", .rate(5, .day)),
        ("1 day", .rate(1, .day)), ("90   Minutes", .rate(90, .minute)),
    ])
    func ratesParse(text: String, schedule: Schedule) throws {
        #expect(try Schedule(parsing: text) == schedule)
    }

    @Test(arguments: [
        ("1 minutes", "write \"1 minute\""), ("2 hour", "write \"2 hours\""), ("0 minutes", "positive whole number"),
        ("-1 minutes", "positive whole number"), ("1.5 hours", "positive whole number"), ("5 weeks", "\"weeks\" is not a unit"),
        ("99999999999999999999 days", "positive whole number"), ("minute", "is not a schedule"), ("", "is not a schedule"),
        ("every 5 minutes", "is not a schedule"), ("0 0 * * * 2024", "is not a schedule"),
    ])
    func badRatesAndShapesAreRefused(text: String, message: String) {
        let error = #expect(throws: ScheduleError.self) { try Schedule(parsing: text) }
        #expect(error?.code == ScheduleError.invalid)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test func cronFieldsExpandToTheirValues() throws {
        let cron = try CronExpression(parsing: "0/5 8-17 * * mon-fri")
        #expect(cron.minute.values == Array(stride(from: 0, through: 55, by: 5)))
        #expect(cron.hour.values == Array(8...17))
        #expect(cron.dayOfMonth.values == Array(1...31))
        #expect(cron.month.values == Array(1...12))
        #expect(cron.dayOfWeek.values == [1, 2, 3, 4, 5])
        #expect(cron.source == "0/5 8-17 * * mon-fri")
    }

    /// Fields by position: 0 minute, 1 hour, 2 day of month, 3 month, 4 day of week.
    @Test(arguments: [
        ("*/15 * * * *", 0, [0, 15, 30, 45]), ("1/20 * * * *", 0, [1, 21, 41]), ("10-30/10 * * * *", 0, [10, 20, 30]),
        ("1,3,5-6 * * * *", 0, [1, 3, 5, 6]), ("0 */6 * * *", 1, [0, 6, 12, 18]), ("0 0 1-31/10 * *", 2, [1, 11, 21, 31]),
        ("0 0 1 jan,JUL ?", 3, [1, 7]), ("0 0 1 Nov-dec *", 3, [11, 12]), ("0 0 ? * 7", 4, [0]), ("0 0 ? * 0,7", 4, [0]),
        ("0 0 * * SUN", 4, [0]), ("0 0 * * fri-sun", 4, [0, 5, 6]), ("0 0 * * 5-7", 4, [0, 5, 6]),
        ("0 0 * * */2", 4, [0, 2, 4, 6]),
    ])
    func cronFieldSyntax(text: String, position: Int, values: [Int]) throws {
        let cron = try CronExpression(parsing: text)
        #expect([cron.minute, cron.hour, cron.dayOfMonth, cron.month, cron.dayOfWeek][position].values == values)
    }

    @Test(arguments: [
        ("60 * * * *", "minute \"60\": \"60\" is not allowed; expected 0-59"),
        ("* 24 * * *", "hour \"24\": \"24\" is not allowed; expected 0-23"),
        ("* * 0 * *", "day-of-month \"0\": \"0\" is not allowed; expected 1-31"),
        ("* * * 13 *", "month \"13\": \"13\" is not allowed; expected 1-12 or jan-dec"),
        ("* * * * 8", "day-of-week \"8\": \"8\" is not allowed; expected 0-7 or sun-sat"),
        ("* * * * monday", "day-of-week \"monday\""),
        ("? * * * *", "minute \"?\": \"?\" is only allowed in day-of-month and day-of-week"),
        ("* * 1,? * *", "\"?\" must stand alone"),
        ("0 0 1 * mon", "day-of-month and day-of-week cannot both be set"),
        ("0 0 */2 * 1-5", "day-of-month and day-of-week cannot both be set"),
        ("0 0 31 2 *", "never runs"), ("0 0 30 2 ?", "never runs"), ("0 0 31 apr,jun,sep,nov *", "never runs"),
        ("*/0 * * * *", "the step \"0\" must be a positive whole number"),
        ("1,,2 * * * *", "\"\" is not a value, range or step"),
        ("5-1 * * * *", "the range \"5-1\" runs backwards"),
        ("1-2-3 * * * *", "\"1-2-3\" is not a value or a range"),
        ("1/2/3 * * * *", "is not a value, range or step"),
        ("* * * * 1#2", "\"1#2\" is not allowed"),
    ])
    func badCronExpressionsNameTheField(text: String, message: String) {
        let error = #expect(throws: ScheduleError.self) { try CronExpression(parsing: text) }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test func leapDayIsAValidDayOfMonth() throws {
        #expect(try CronExpression(parsing: "0 12 29 2 *").dayOfMonth.values == [29])
    }
}
