/// Collects the problems found while reading a Spacefile, so that all of them are reported together.
final class ProblemLog {
    /// Problems past this many are counted, not kept: a generated file can repeat one mistake endlessly.
    static let limit = 100

    private(set) var problems: [SpacefileProblem] = []
    private var omitted = 0

    var isEmpty: Bool { problems.isEmpty }
    /// Whether further problems are only counted; readers may stop early then.
    var isFull: Bool { problems.count >= Self.limit }

    func add(_ message: String, field: String, line: Int?) {
        guard problems.count < Self.limit else {
            omitted += 1
            return
        }
        problems.append(SpacefileProblem(field: field, line: line, message: message))
    }

    /// The error listing every problem logged, in line order.
    var error: SpacefileError {
        let sorted = problems.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
        let more = omitted > 0 ? [SpacefileProblem(message: "… and \(omitted) more problems")] : []
        return SpacefileError(SpacefileError.invalid, problems: sorted.map(\.element) + more)
    }
}
