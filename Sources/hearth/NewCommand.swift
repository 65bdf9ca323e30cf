import ArgumentParser
import Foundation

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a ready-to-install app from a template.",
        discussion: """
            Writes a Spacefile, the app's files, a .spaceignore, a Discovery.md to fill in before a \
            listed release and a README with the next steps into DIR (default: ./NAME with --name, \
            else the current directory), which must be empty or not exist yet. `python` is a FastAPI app keeping \
            items in its Base; `static` is a static site.
            """)

    @Argument(help: "The directory to create the app in (empty or new); default ./NAME, or the current directory.")
    var directory: String?
    @Option(help: "The template: \(AppTemplate.Kind.allCases.map(\.rawValue).joined(separator: " or ")).")
    var template: AppTemplate.Kind = .python
    @Option(help: "The app's name, 4 to 16 letters, digits, '-' or '_' (default: the directory's name).")
    var name: String?

    func validate() throws {
        if let problem = AppTemplate.nameProblem(appName) { throw ValidationError("Invalid name: \(problem).") }
    }

    private var appName: String {
        name ?? path.lastPathComponent
    }

    private var path: URL { URL(fileURLWithPath: directory ?? name ?? ".").standardizedFileURL }

    func run() throws {
        let target = path
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: target.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw failure("\(target.path) exists and is not a directory") }
            guard (try manager.contentsOfDirectory(atPath: target.path)).isEmpty else {
                throw failure("\(target.path) is not empty; choose a new or empty directory")
            }
        }
        for file in AppTemplate.make(template, name: appName).files {
            let url = target.appendingPathComponent(file.path)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.text.utf8).write(to: url, options: .withoutOverwriting)
        }
        let move = target.path == FileManager.default.currentDirectoryPath ? "" : "  cd \(directory ?? appName)\n"
        print(
            """
            Created \(appName) (\(template.rawValue)) in \(target.path).
            Next steps:
            \(move)  hearth app install .        install it on your node (`hearth app ls` shows its address)
              hearth push                 later: send your changes to it
              hearth release <instance> --version 1.0.0 --listed
                                          share it, after filling in Discovery.md
            """)
    }

    private func failure(_ message: String) -> any Error {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return ExitCode(1)
    }
}
