import Foundation
import HearthCore
import HearthRegistry
import HearthTesting
import Testing

@testable import HearthRuntime

@Suite("Instance catalog")
struct InstanceCatalogTests {
    @Test("A registry change shows at once after invalidate(), and by itself after the recheck interval")
    func registryChangesShow() async throws {
        try await withTemporaryDirectory { root in
            let layout = DataLayout(root: root.appendingPathComponent("data"))
            let registry = try Registry(layout: layout)
            let builder = Builder(tools: .standard(for: layout))
            let source = root.appendingPathComponent("site")
            try FileManager.default.createDirectory(at: source.appendingPathComponent("public"), withIntermediateDirectories: true)
            try Data("v: 0\nmicros:\n  - name: site\n    src: .\n    engine: static\n    serve: public\n".utf8)
                .write(to: source.appendingPathComponent("Spacefile"))
            try Data("<p>hi</p>".utf8).write(to: source.appendingPathComponent("public/index.html"))
            let info = try await Installer(registry: registry, layout: layout, builder: builder)
                .install(source: source, name: "site", progress: RecordingProgress())
            defer { try? builder.removeApp(from: InstanceLayout(directory: layout.resolve(info.path))) }
            let catalog = InstanceCatalog(registry: registry, layout: layout, builder: builder)
            #expect(try await catalog.instance(slug: "site")?.info.state == .ready)
            #expect(try await catalog.instance(slug: "nothing-here") == nil)

            try await registry.setInstanceState(info.id, .installing)
            catalog.invalidate()
            #expect(try await catalog.instance(slug: "site")?.info.state == .installing, "invalidate() makes the next lookup ask")

            try await registry.setInstanceState(info.id, .ready)
            try await Task.sleep(for: InstanceCatalog.recheckInterval + .milliseconds(5))
            #expect(try await catalog.instance(slug: "site")?.info.state == .ready, "the registry is asked again after the interval")
        }
    }
}
