import Foundation
import Yams

extension Spacefile {
    /// The largest Spacefile read from disk; real ones are a few hundred bytes.
    static let maximumFileSize = 1 << 20

    /// Parses and validates a Spacefile's text, reporting every problem found with its field path and line.
    ///
    /// `src` directories are not checked here; `load(directory:)` checks them.
    public static func parse(_ text: String) throws(SpacefileError) -> Spacefile {
        try parse(text, checkingSourcesIn: nil)
    }

    /// Reads the file named exactly `Spacefile` in `directory`, validates it and checks that every micro's
    /// `src` is a directory inside `directory`.
    public static func load(directory: URL) throws(SpacefileError) -> Spacefile {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        guard names.contains("Spacefile") else {
            let nearMiss = names.first { $0.lowercased().hasPrefix("spacefile") }
            let hint = nearMiss.map { " (found `\($0)`; the name must be exactly `Spacefile`)" } ?? ""
            throw SpacefileError(SpacefileError.notFound, "No Spacefile in \(directory.path)\(hint)")
        }
        let file = directory.appendingPathComponent("Spacefile")
        let data: Data
        do {
            let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int ?? 0
            guard size <= maximumFileSize else {
                throw SpacefileError(SpacefileError.unreadable, "the Spacefile is larger than 1 MiB")
            }
            data = try Data(contentsOf: file)
        } catch let error as SpacefileError {
            throw error
        } catch {
            throw SpacefileError(SpacefileError.unreadable, "cannot read the Spacefile", cause: error)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SpacefileError(SpacefileError.unreadable, "the Spacefile is not UTF-8 text")
        }
        return try parse(text, checkingSourcesIn: directory)
    }

    private static func parse(_ text: String, checkingSourcesIn directory: URL?) throws(SpacefileError) -> Spacefile {
        let root: Node?
        do {
            // TODO(security): Yams hashes mapping keys while composing, so an alias bomb used as a complex key
            // takes time exponential in its nesting; refuse aliases in keys first if Spacefiles can come from strangers.
            root = try Yams.compose(yaml: text, yamlResolver)
        } catch {
            throw SpacefileError(SpacefileError.invalid, problems: [syntaxProblem(error)], cause: error)
        }
        guard let root, root.tagName != .null else { throw SpacefileError(SpacefileError.invalid, "the Spacefile is empty") }
        let log = ProblemLog()
        let reader = SpacefileReader(log: log, directory: directory)
        guard let spacefile = reader.read(YAMLField(node: root, path: "", log: log)) else { throw log.error }
        return spacefile
    }

    /// YAML 1.2 core types, as Deta's CLI read them (`gopkg.in/yaml.v3`): only `true`/`false` are booleans
    /// (`yes` is text), decimal integers, no timestamps.
    static let yamlResolver = try! Resolver.default
        .replacing(.bool, with: "^(?:true|True|TRUE|false|False|FALSE)$")
        .replacing(.int, with: "^[-+]?[0-9]+$")
        .replacing(
            .float,
            with: #"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"#
        )
        .removing(.timestamp)

    static func syntaxProblem(_ error: any Error) -> SpacefileProblem {
        switch error as? YamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let during = context.map { " (\($0.text), line \($0.mark.line))" } ?? ""
            return SpacefileProblem(line: mark.line, message: "invalid YAML: \(problem)\(during)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "`\($0)`" }.joined(separator: ", ")
            return SpacefileProblem(line: context.mark.line, message: "invalid YAML: duplicate key \(keys)")
        case .reader(let problem, _, _, _):
            return SpacefileProblem(message: "invalid text: \(problem)")
        default:
            return SpacefileProblem(message: "invalid YAML")
        }
    }
}
