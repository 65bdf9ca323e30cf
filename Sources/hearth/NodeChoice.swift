import ArgumentParser

/// Which node `push` and `release` work on: `--node URL` (logged in with `hearth login`), else
/// the node logged in to last, else the local data directory; `--local` insists on the latter.
struct NodeChoice: ParsableArguments {
    @Option(help: ArgumentHelp("Another node to work on (after `hearth login URL`).", valueName: "url"))
    var node: String?
    @Flag(help: "Work on the local data directory even when logged in to another node.")
    var local = false

    /// The remote node to use, or nil for the local one.
    func remote() async throws -> RemoteNode? {
        if local {
            guard node == nil else { throw ValidationError("Give --node or --local, not both.") }
            return nil
        }
        return try await failing { try RemoteNode.chosen(node) }
    }
}
