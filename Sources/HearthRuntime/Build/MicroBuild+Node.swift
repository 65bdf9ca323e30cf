import Foundation

extension MicroBuild {
    /// Makes sure the npm packages in `package.json` are there. Committed `node_modules` are
    /// used as they are; otherwise npm tries to fetch them (`npm ci` with a lockfile), which
    /// needs a reachable registry.
    func prepareNodeModules() async throws(BuildError) {
        guard let manifest = try PackageManifest.read(in: sourceDirectory), manifest.dependencyCount > 0 else { return }
        let count = manifest.dependencyCount
        let packages = "npm packages (\(count) dependenc\(count == 1 ? "y" : "ies"))"
        if FileTree.followedKind(atPath: sourceDirectory.appendingPathComponent("node_modules").path) == .directory {
            progress.step("Using the committed node_modules of \(micro.name) (\(count) dependencies)")
            return
        }
        guard let npm = tools.executable(tools.npm) else {
            throw BuildError(
                BuildError.toolMissing,
                "\(micro.name) needs \(packages) but none are installed and npm is not available. "
                    + "Commit node_modules or install npm (Debian: apt install npm).")
        }
        let hasLockfile = ["package-lock.json", "npm-shrinkwrap.json"].contains {
            FileTree.followedKind(atPath: sourceDirectory.appendingPathComponent($0).path) == .file
        }
        let command = hasLockfile ? "ci" : "install"
        progress.step("Installing \(packages) for \(micro.name) with npm \(command)…")
        let result = try await run([npm, command, "--no-audit", "--no-fund"], timeout: tools.installTimeout)
        guard !result.succeeded else { return }
        let reason = result.timedOut ? "npm did not finish within \(tools.installTimeout)" : "npm could not fetch them"
        throw BuildError(
            BuildError.commandFailed,
            "\(micro.name) needs \(packages) but none are installed and \(reason): "
                + result.lastLines.suffix(8).joined(separator: "\n")
                + "\nCommit node_modules or make the registry reachable.")
    }

    /// Checks that `node` is installed, for micros that need it to run.
    func requireNode() throws(BuildError) {
        guard tools.executable(tools.node) == nil else { return }
        throw BuildError(BuildError.toolMissing, "\(micro.name) runs on Node.js, which is not installed (Debian: apt install nodejs)")
    }
}
