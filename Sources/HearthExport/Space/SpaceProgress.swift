/// What long space exports and imports report: a step for people ("Exporting instance 'notes'
/// (1 of 3)") and, within a step, bytes done out of a total.
public struct SpaceProgress: Sendable {
    public var step: @Sendable (String) -> Void
    public var bytes: @Sendable (Int64, Int64) -> Void

    public init(step: @escaping @Sendable (String) -> Void = { _ in }, bytes: @escaping @Sendable (Int64, Int64) -> Void = { _, _ in }) {
        (self.step, self.bytes) = (step, bytes)
    }
}
