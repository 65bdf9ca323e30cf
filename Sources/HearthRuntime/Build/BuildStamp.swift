import Foundation
import HearthCore

/// A record, in a micro's build directory, of the inputs of work already done: when the
/// inputs are the same again, the work is skipped. A stamp holds the inputs' text itself, so
/// it can be read when wondering why something was (not) rebuilt.
struct BuildStamp {
    /// What the stamp covers.
    enum Kind: String {
        /// The Python virtual environment: the interpreter and the filtered requirements.
        case dependencies
        /// The work on one staged copy of the app: `commands`, installs into it, compiling.
        case app
    }

    let file: URL

    init(_ kind: Kind, micro: String, in layout: InstanceLayout) {
        file = layout.build(micro: micro).appendingPathComponent("\(kind.rawValue).stamp")
    }

    func matches(_ inputs: String) -> Bool {
        (try? String(contentsOf: file, encoding: .utf8)) == inputs
    }

    func record(_ inputs: String) throws(BuildError) {
        try withStorageErrors("Could not record a finished build step") {
            try Data(inputs.utf8).write(to: file, options: .atomic)
        }
    }

    func clear() {
        try? FileManager.default.removeItem(at: file)
    }
}
