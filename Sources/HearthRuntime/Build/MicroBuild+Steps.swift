import Foundation

extension MicroBuild {
    /// Builds the micro: dependencies, then (once per staged copy of the app) npm packages,
    /// `commands`, Python compilation and the static root's check.
    func perform(stageID: String) async throws(BuildError) {
        try createBuildDirectory()
        progress.step("Building \(micro.name) (\(micro.engine.rawValue))")
        switch micro.engine.family {
        case .python: try await preparePythonEnvironment()
        case .node: try requireNode()
        case .staticSite, .custom: break
        }
        let stamp = BuildStamp(.app, micro: micro.name, in: layout)
        let inputs = "stage \(stageID)\n" + micro.commands.map { "command \($0)\n" }.joined()
        if stamp.matches(inputs) {
            progress.step("\(micro.name) is already built from this copy of the app")
            return
        }
        stamp.clear()
        if micro.engine.family == .node || (micro.engine.family == .staticSite && !micro.commands.isEmpty) {
            try await prepareNodeModules()
        }
        for command in micro.commands {
            progress.step("Running `\(command)` for \(micro.name)")
            try await runChecked(["/bin/sh", "-c", command], what: "Command `\(command)`", timeout: tools.commandTimeout)
        }
        switch micro.engine.family {
        case .python: try await compilePython()
        case .staticSite: try checkStaticRoot()
        case .node, .custom: break
        }
        try stamp.record(inputs)
    }

    /// The directory a static micro serves must exist inside the app once it is built.
    private func checkStaticRoot() throws(BuildError) {
        guard let root = AppPaths.staticRoot(of: micro, source: sourceDirectory, app: layout.app) else {
            throw BuildError(BuildError.source, "The directory micro \(micro.name) serves, `\(micro.serve ?? "")`, is outside the app")
        }
        guard FileTree.followedKind(atPath: root.path) == .directory else {
            let named = micro.serve.map { "`\($0)`" } ?? "`build` or `dist`"
            throw BuildError(BuildError.source, "Micro \(micro.name) serves \(named), which does not exist after its build")
        }
    }
}
