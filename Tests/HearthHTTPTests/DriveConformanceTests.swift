import HTTPTypes
import HearthCore
import HearthTesting
import HummingbirdTesting
import Testing

/// Spec §2 as HTTP scenario tables against one seeded drive: every endpoint and error, with
/// status, content type and body fragments.
@Suite struct DriveConformanceTests {
    static let seed = ["a": "alpha", "b": "bravo", "c/d": "charlie delta", "name with spaces.txt": "spaced"]

    static let scenarios: [Scenario] = [
        Scenario("list all", .get, "/files", status: 200, mustContain: [#"{"names":["a","b","c/d","name with spaces.txt"]}"#]),
        Scenario("list limit 1", .get, "/files?limit=1", status: 200, mustContain: [#"{"paging":{"size":1,"last":"a"},"names":["a"]}"#]),
        Scenario("list after last", .get, "/files?limit=1&last=a", status: 200, mustContain: [#""names":["b"]"#]),
        Scenario("list prefix", .get, "/files?prefix=c/", status: 200, mustContain: [#"{"names":["c/d"]}"#]),
        Scenario(
            "list JS-style empty params", .get, "/files?prefix=&recursive=true&limit=1000&last=", status: 200,
            mustContain: [#"{"names":["a","b","c/d","name with spaces.txt"]}"#]),
        Scenario(
            "list folders", .get, "/files?recursive=false", status: 200, mustContain: [#"{"names":["a","b","c/","name with spaces.txt"]}"#]),
        Scenario("list bad limit", .get, "/files?limit=abc", status: 400, mustContain: [#"{"errors":["#]),
        Scenario("list unknown drive", .get, "/files", status: 200, mustContain: [#"{"names":[]}"#]),
        Scenario("download", .get, "/files/download?name=c%2Fd", status: 200, mustContain: ["charlie delta"]),
        Scenario("download form-decoded name", .get, "/files/download?name=name+with+spaces.txt", status: 200, mustContain: ["spaced"]),
        Scenario("download missing", .get, "/files/download?name=zzz", status: 404, mustContain: [#"{"errors":["File not found"]}"#]),
        Scenario("download without name", .get, "/files/download", status: 400, mustContain: [#"{"errors":["#]),
        Scenario("upload with trailing slash", .post, "/files?name=dir/", body: "x", status: 400, mustContain: ["ends with"]),
        Scenario("upload blank name", .post, "/files?name=%20%20", body: "x", status: 400, mustContain: [#"{"errors":["#]),
        Scenario("upload control character", .post, "/files?name=a%0Ab", body: "x", status: 400, mustContain: ["control"]),
        Scenario("upload non-UTF-8 name", .post, "/files?name=%FF", body: "x", status: 400, mustContain: ["UTF-8"]),
        Scenario(
            "upload long name", .post, "/files?name=" + String(repeating: "n", count: 1025), body: "x", status: 400, mustContain: ["longer"]
        ),
        Scenario(
            "part of unknown upload", .post, "/uploads/nope/parts?name=a&part=1", body: "x", status: 404, mustContain: ["Upload not found"]),
        Scenario("complete unknown upload", .patch, "/uploads/nope?name=a", status: 404, mustContain: ["Upload not found"]),
        Scenario("abort unknown upload", .delete, "/uploads/nope?name=a", status: 404, mustContain: ["Upload not found"]),
        Scenario(
            "delete many", .delete, "/files", body: #"{"names":["a","never",""]}"#, status: 200,
            mustContain: [#"{"deleted":["a","never"],"failed":{"":"invalid name"}}"#]),
        Scenario("delete only invalid", .delete, "/files", body: #"{"names":["   "]}"#, status: 400, mustContain: ["Names can't be empty"]),
        Scenario("delete none", .delete, "/files", body: #"{"names":[]}"#, status: 400, mustContain: [#"{"errors":["#]),
        Scenario("delete bad body", .delete, "/files", body: #"{"names":"a"}"#, status: 400, mustContain: [#"{"errors":["#]),
        Scenario("unknown resource", .get, "/files/other", status: 404, mustContain: [#"{"errors":["Not found"]}"#]),
        Scenario("wrong method", .put, "/files", status: 405, mustContain: [#"{"errors":["Method not allowed"]}"#]),
    ]

    func withSeededDrive<T: Sendable>(_ body: @escaping @Sendable (any TestClientProtocol, DataKey) async throws -> T) async throws -> T {
        try await TestNode.with { node in
            let (_, key) = try await node.createCollection()
            return try await node.withClient { client in
                for (name, content) in Self.seed.sorted(by: { $0.key < $1.key }) {
                    let stored = try await client.base(
                        .post, "/files?name=\(name.replacingOccurrences(of: " ", with: "+"))", key: key, body: content)
                    #expect(stored.status == 201, "seeding \(name)")
                }
                return try await body(client, key)
            }
        }
    }

    @Test func scenarios() async throws {
        try await withSeededDrive { client, key in
            for scenario in Self.scenarios {
                let drive = scenario.name == "list unknown drive" ? "never-written" : "test"
                let result = try await client.base(scenario.method, scenario.path, key: key, base: drive, body: scenario.body)
                #expect(result.status == scenario.status, "\(scenario): \(result.body)")
                if scenario.path.hasPrefix("/files/download"), result.status == 200 { continue }
                #expect(result.contentType == "application/json", "\(scenario)")
                for fragment in scenario.mustContain { #expect(result.body.contains(fragment), "\(scenario): \(result.body)") }
            }
        }
    }

    @Test func uploadsEchoDetaBodiesAndContentTypes() async throws {
        try await withSeededDrive { client, key in
            let project = key.projectID
            let single = try await client.base(.post, "/files?name=photo.png", key: key, body: "png")
            #expect(single.body == #"{"name":"photo.png","project_id":"\#(project)","drive_name":"test"}"#)
            let typed = try await client.base(.get, "/files/download?name=photo.png", key: key)
            #expect(typed.contentType == "image/png")

            let start = try await client.base(.post, "/uploads?name=doc.bin", key: key, headers: [.contentType: "binary/octet-stream"])
            #expect(start.status == 202)
            let id = try #require(start.body.split(separator: "\"").dropFirst(7).first.map(String.init))
            #expect(start.body == #"{"name":"doc.bin","upload_id":"\#(id)","project_id":"\#(project)","drive_name":"test"}"#)
            let part = try await client.base(
                .post, "/uploads/\(id)/parts?name=doc.bin&part=1", key: key, body: "hello ", headers: [.contentType: "text/x-custom"])
            #expect(part.body == #"{"name":"doc.bin","upload_id":"\#(id)","part":1,"project_id":"\#(project)","drive_name":"test"}"#)
            _ = try await client.base(.post, "/uploads/\(id)/parts?name=doc.bin&part=2", key: key, body: "world")
            #expect(try await client.base(.post, "/uploads/\(id)/parts?name=doc.bin&part=x", key: key, body: "!").status == 400)
            #expect(try await client.base(.post, "/uploads/\(id)/parts?name=other&part=3", key: key, body: "!").status == 400)
            #expect(try await client.base(.get, "/files/download?name=doc.bin", key: key).status == 404, "invisible before completing")
            let done = try await client.base(.patch, "/uploads/\(id)?name=doc.bin", key: key)
            #expect(done.body == #"{"name":"doc.bin","upload_id":"\#(id)","project_id":"\#(project)","drive_name":"test"}"#)
            let file = try await client.base(.get, "/files/download?name=doc.bin", key: key)
            #expect(file.body == "hello world")
            #expect(file.contentType == "text/x-custom")
            #expect(file.headers[.acceptRanges] == "bytes")
            #expect(file.headers[.contentLength] == "11")
        }
    }

    @Test func rangesFollowRFC9110() async throws {
        try await withSeededDrive { client, key in
            let cases: [(String, Int, String, String?)] = [
                ("bytes=0-0", 206, "c", "bytes 0-0/13"),
                ("bytes=-5", 206, "delta", "bytes 8-12/13"),
                ("bytes=8-", 206, "delta", "bytes 8-12/13"),
                ("bytes=8-1000", 206, "delta", "bytes 8-12/13"),
                ("bytes=0-1,3-4", 200, "charlie delta", nil),
                ("items=0-1", 200, "charlie delta", nil),
                ("bytes=13-", 416, #"{"errors":["Range not satisfiable"]}"#, "bytes */13"),
            ]
            for (range, status, body, contentRange) in cases {
                let result = try await client.base(.get, "/files/download?name=c/d", key: key, headers: [.range: range])
                #expect(result.status == status, "\(range)")
                #expect(result.body == body, "\(range)")
                #expect(result.headers[.contentRange] == contentRange, "\(range)")
            }
        }
    }

    @Test func bodiesOverTheLimitGetDetasHTMLPage() async throws {
        var limits = DriveLimits()
        limits.maxFileRequestBytes = 1000
        limits.maxPartBytes = 1000
        try await TestNode.with(driveLimits: limits) { node in
            let (_, key) = try await node.createCollection()
            try await node.withClient { client in
                let big = String(repeating: "x", count: 1001)
                let single = try await client.base(.post, "/files?name=big", key: key, body: big)
                #expect(single.status == 413)
                #expect(single.contentType == "text/html")
                #expect(single.body == "<h1> 413 - Request Entity Too Large </h1>")
                #expect(try await client.base(.post, "/files?name=fits", key: key, body: String(big.dropFirst())).status == 201)
                let start = try await client.base(.post, "/uploads?name=big", key: key)
                let id = try #require(start.body.split(separator: "\"").dropFirst(7).first.map(String.init))
                #expect(try await client.base(.post, "/uploads/\(id)/parts?name=big&part=1", key: key, body: big).status == 413)
                #expect(try await client.base(.get, "/files", key: key).body == #"{"names":["fits"]}"#)
            }
        }
    }
}
