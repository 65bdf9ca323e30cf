import ArgumentParser
import Foundation
import HearthCore

struct AppTrigger: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trigger", abstract: "Run one of an instance's scheduled actions now, whatever its schedule.")

    @OptionGroup var options: DataOptions
    @Argument(help: "The instance's name or id.")
    var instance: String
    @Argument(help: "The action's id (from the Spacefile).")
    var action: String

    func run() async throws {
        let (_, info) = try await findInstance(instance, options)
        guard let node = NodeControl(layout: options.layout) else {
            throw ValidationError("The node is not running; start it with `hearth serve` first.")
        }
        print(try await failing { try await node.trigger(info.id, action: action) })
    }
}
