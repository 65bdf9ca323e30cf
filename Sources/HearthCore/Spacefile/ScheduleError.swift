/// Errors in a scheduled action's interval: text that is neither a valid rate nor a valid cron expression.
public typealias ScheduleError = ModuleError<ScheduleDomain>
public enum ScheduleDomain {}

extension ModuleError where Domain == ScheduleDomain {
    /// The interval does not parse; the message says which part is wrong.
    public static var invalid: ErrorCode { "schedule.invalid" }
}
