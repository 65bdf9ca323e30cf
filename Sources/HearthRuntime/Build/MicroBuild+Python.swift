import Foundation

/// The Python interpreter `BuildTools.python` names, as found on this node.
struct PythonInterpreter {
    /// `major.minor.micro`.
    var version: String
    /// The interpreter's real path, independent of shims and `PATH`.
    var executable: String
    /// Whether `ensurepip` is there, so that new virtual environments can have pip.
    var hasEnsurePip: Bool
}

extension MicroBuild {
    private static let install = "python3 and python3-venv (Debian: apt install python3 python3-venv)"

    /// Creates the micro's virtual environment and installs its requirements, unless the
    /// dependencies stamp says the same interpreter already installed the same requirements.
    func preparePythonEnvironment() async throws(BuildError) {
        let requirements = try readRequirements()
        if requirements.droppedDeta {
            progress.step("Using Hearth's deta module for \(micro.name) instead of PyPI's deta (another project now)")
        }
        if tools.sdkDirectory == nil {
            progress.step("Hearth's Python SDK was not found (set HEARTH_SDK_DIR): `import deta` will fail in \(micro.name)")
        }
        let interpreter = try await probePython()
        let needsPip = requirements.packageCount > 0 || !micro.commands.isEmpty
        let inputs = "python \(interpreter.version) \(interpreter.executable)\npip \(needsPip)\n\(requirements.text)"
        let stamp = BuildStamp(.dependencies, micro: micro.name, in: layout)
        let venvPython = venv.appendingPathComponent("bin/python").path
        if stamp.matches(inputs) && FileTree.followedKind(atPath: venvPython) == .file {
            progress.step("Python dependencies of \(micro.name) are unchanged")
            return
        }
        stamp.clear()
        if needsPip && !interpreter.hasEnsurePip {
            throw BuildError(BuildError.toolMissing, "Python cannot create environments with pip here; install \(Self.install)")
        }
        progress.step("Creating the Python environment of \(micro.name) (Python \(interpreter.version))…")
        try FileTree.remove(venv.path)
        var arguments = [interpreter.executable, "-m", "venv"]
        if !needsPip { arguments.append("--without-pip") }
        try await runChecked(arguments + [venv.path], what: "Creating the Python environment", timeout: tools.installTimeout)
        if requirements.packageCount > 0 {
            try await installRequirements(requirements, with: venvPython)
        }
        try stamp.record(inputs)
    }

    /// Compiles the app's Python files next to them while the copy is still writable, so that
    /// micros start without compiling (and, with a read-only app, without recompiling each time).
    /// Files that do not compile are left to fail at import, as they would without this step.
    func compilePython() async throws(BuildError) {
        let python = venv.appendingPathComponent("bin/python").path
        let result = try await run([python, "-m", "compileall", "-q", sourceDirectory.path], timeout: tools.commandTimeout)
        if !result.succeeded { progress.step("Some Python files of \(micro.name) did not compile") }
    }

    private func installRequirements(_ requirements: Requirements, with python: String) async throws(BuildError) {
        let filtered = buildDirectory.appendingPathComponent("requirements.txt")
        try withStorageErrors("Could not write the requirements of micro \(micro.name)") {
            try Data(requirements.text.utf8).write(to: filtered, options: .atomic)
        }
        let count = requirements.packageCount
        progress.step("Installing requirements for \(micro.name) (\(count) package\(count == 1 ? "" : "s"))…")
        try await runChecked(
            [python, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-r", filtered.path],
            what: "Installing the requirements", timeout: tools.installTimeout)
    }

    private func readRequirements() throws(BuildError) -> Requirements {
        let file = sourceDirectory.appendingPathComponent("requirements.txt")
        guard FileTree.followedKind(atPath: file.path) == .file else {
            return Requirements(bytes: Data(), directory: sourceDirectory)
        }
        let bytes = try withStorageErrors("Could not read requirements.txt of micro \(micro.name)") {
            try Data(contentsOf: file)
        }
        return Requirements(bytes: bytes, directory: sourceDirectory)
    }

    /// The interpreter for this micro: the engine's own version (`python3.9` for `python3.9`)
    /// when the node has it and uses the default `python3`, since unpinned requirements then
    /// resolve as they did on Deta; else `tools.python`, with a step line saying so.
    private func probePython() async throws(BuildError) -> PythonInterpreter {
        let wanted = micro.engine.rawValue
        if tools.python == "python3", let python = tools.executable(wanted), let found = try? await probe(python) {
            return found
        }
        let interpreter = try await probe(tools.python)
        if tools.python == "python3", !interpreter.version.hasPrefix(wanted.dropFirst(6) + ".") {
            progress.step(
                "\(wanted) is not installed here; building \(micro.name) with Python \(interpreter.version) "
                    + "(unpinned requirements may resolve to newer releases than on Deta)")
        }
        return interpreter
    }

    /// Asks a Python for its version and real path; it must be 3.8 or later with `venv`.
    private func probe(_ name: String) async throws(BuildError) -> PythonInterpreter {
        guard let python = tools.executable(name) else {
            throw BuildError(BuildError.toolMissing, "\(name) was not found; install \(Self.install)")
        }
        let script = """
            import sys, venv, importlib.util
            print("%d.%d.%d" % sys.version_info[:3]); print(sys.executable)
            print(importlib.util.find_spec("ensurepip") is not None)
            """
        let result = try await Subprocess(
            arguments: [python, "-c", script], environment: tools.buildEnvironment, workingDirectory: layout.tmp,
            timeout: .seconds(60)
        ).run { _ in }
        let lines = Array(result.lastLines.suffix(3))
        guard result.succeeded, lines.count == 3 else {
            throw BuildError(BuildError.toolMissing, "\(name) cannot create virtual environments; install \(Self.install)")
        }
        let parts = lines[0].split(separator: ".").compactMap { Int($0) }
        guard parts.count == 3, (parts[0], parts[1]) >= (3, 8) else {
            throw BuildError(BuildError.unsupported, "Python micros need Python 3.8 or later; \(python) is \(lines[0])")
        }
        return PythonInterpreter(version: lines[0], executable: lines[1], hasEnsurePip: lines[2] == "True")
    }
}
