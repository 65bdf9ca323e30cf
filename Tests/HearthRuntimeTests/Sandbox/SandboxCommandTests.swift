import Foundation
import Testing

@testable import HearthRuntime

@Suite("Sandbox command line")
struct SandboxCommandTests {
    static let tools = SandboxCommand.Tools(bubblewrap: "/usr/bin/bwrap", setpriv: "/usr/bin/setpriv")

    static func arguments(instance: String = "/srv/data/spaces/s/instances/i", readOnly: [String] = []) -> [String] {
        let room = SandboxCommand.Room(
            uid: 123_456, hostname: "notes", codeDirectory: instance, tmp: instance + "/tmp", etc: instance + "/sandbox/etc",
            controlGroups: ["/cg/memory/i/web", "/cg/pids/i/web"])
        let host: [String: FileKind] = [
            "/usr": .directory, "/bin": .symlink("usr/bin"), "/lib64": .symlink("usr/lib64"), "/etc/ssl": .directory,
            instance + "/app": .directory, instance + "/build": .directory,
        ]
        return SandboxCommand.arguments(
            tools: tools, room: room, micro: ["python", "-m", "app"], workingDirectory: instance + "/app/src", readOnlyPaths: readOnly,
            fileExists: { host[$0] })
    }

    @Test("Joins the micro's control groups, then bubblewrap, then drops to the instance's user, then the micro")
    func stages() {
        let arguments = Self.arguments()
        #expect(Array(arguments.prefix(2)) == ["/bin/sh", "-c"])
        #expect(Array(arguments[3...5]) == ["hearth-enter", "/cg/memory/i/web", "/cg/pids/i/web"])
        let separators = arguments.indices.filter { arguments[$0] == "--" }
        #expect(separators.count == 3)
        #expect(arguments[separators[0] + 1] == "/usr/bin/bwrap")
        #expect(Array(arguments[(separators[1] + 1)...].prefix(5)) == ["/usr/bin/setpriv", "--reuid", "123456", "--regid", "123456"])
        #expect(arguments[(separators[1] + 1)..<separators[2]].contains("--no-new-privs"))
        #expect(Array(arguments[(separators[2] + 1)...]) == ["python", "-m", "app"])
    }

    @Test("New pid, ipc and uts namespaces, no capabilities but setuid's, dies with the node")
    func namespaces() {
        let arguments = Self.arguments()
        for flag in ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--new-session"] {
            #expect(arguments.contains(flag))
        }
        #expect(!arguments.contains("--unshare-net"), "the instance's own namespace is entered before, and shared by its micros")
        #expect(!arguments.contains("--share-net"))
        let added = arguments.indices.filter { arguments[$0] == "--cap-add" }.map { arguments[$0 + 1] }
        #expect(added == ["CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP"])
    }

    @Test("System directories read-only as the host has them; the app read-only; only the tmp volume writable")
    func mounts() {
        let arguments = Self.arguments(readOnly: ["/opt/python/3.9"])
        let text = arguments.joined(separator: " ")
        #expect(text.contains("--ro-bind /usr /usr"))
        #expect(text.contains("--symlink usr/bin /bin"))
        #expect(!text.contains("/sbin"), "what the host lacks is not mounted")
        #expect(text.contains("--ro-bind /srv/data/spaces/s/instances/i/app /srv/data/spaces/s/instances/i/app"))
        #expect(text.contains("--ro-bind /opt/python/3.9 /opt/python/3.9"))
        #expect(text.contains("--ro-bind /srv/data/spaces/s/instances/i/sandbox/etc/passwd /etc/passwd"))
        let writable = arguments.indices.filter { arguments[$0] == "--bind" }.map { arguments[$0 + 2] }
        #expect(writable == ["/tmp"])
        #expect(text.contains("--remount-ro /"))
        #expect(!text.contains("secrets"))
        #expect(!text.contains("--ro-bind /srv/data "), "the data directory itself is never mounted")
    }

    @Test("Parents of mounted paths are made traversable; paths below /tmp get a tmpfs over the volume")
    func parentsAndTmp() {
        let arguments = Self.arguments(instance: "/tmp/run/data/i")
        let text = arguments.joined(separator: " ")
        #expect(text.contains("--perms 0755 --dir /tmp/run/data"))
        let volume = text.range(of: "--bind /tmp/run/data/i/tmp /tmp")!
        let shadow = text.range(of: "--tmpfs /tmp/run")!
        let app = text.range(of: "--ro-bind /tmp/run/data/i/app")!
        #expect(volume.lowerBound < shadow.lowerBound && shadow.lowerBound < app.lowerBound)
    }
}
