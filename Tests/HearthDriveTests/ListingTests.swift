import HearthTesting
import Testing

@testable import HearthDrive

/// The listing rules of spec §2.3.7, with its `recursive` vectors verbatim.
@Suite struct ListingTests {
    static let names = ["list-a", "list-b", "list-c", "list/a", "list/b", "list/child/a", "list/child/b", "other"]

    func list(_ request: ListRequest) async throws -> ListPage {
        try await DriveFixture.with { drive in
            for name in Self.names.shuffled() { try await drive.put(name, [1]) }
            return try await drive.store.list(drive: "d", request)
        }
    }

    @Test func recursiveListingsFollowTheSpec() async throws {
        #expect(try await list(ListRequest()).names == Self.names)
        #expect(
            try await list(ListRequest(prefix: "list/"))
                == ListPage(names: ["list/a", "list/b", "list/child/a", "list/child/b"], last: nil))
        #expect(try await list(ListRequest(limit: 2)) == ListPage(names: ["list-a", "list-b"], last: "list-b"))
        #expect(
            try await list(ListRequest(last: "list/b", limit: 2))
                == ListPage(names: ["list/child/a", "list/child/b"], last: "list/child/b"))
        #expect(try await list(ListRequest(prefix: "zzz")) == ListPage(names: [], last: nil))
    }

    @Test func folderListingsFollowTheSpec() async throws {
        let folders = { (prefix: String, last: String?, limit: Int) in
            try await list(ListRequest(prefix: prefix, last: last, limit: limit, recursive: false))
        }
        #expect(try await folders("list/", nil, 1000) == ListPage(names: ["list/a", "list/b", "list/child/"], last: nil))
        #expect(try await folders("list", nil, 1000) == ListPage(names: ["list-a", "list-b", "list-c", "list/"], last: nil))
        #expect(try await folders("/list", nil, 1000) == ListPage(names: [], last: nil))
        #expect(try await folders("list/", nil, 2) == ListPage(names: ["list/a", "list/b"], last: "list/b"))
        #expect(try await folders("list/", "list/a", 1) == ListPage(names: ["list/b"], last: "list/b"))
        #expect(try await folders("list/", "list/a", 2) == ListPage(names: ["list/b", "list/child/"], last: nil))
        #expect(try await folders("", "list-c", 1) == ListPage(names: ["list/"], last: "list/"))
        #expect(try await folders("", "list/", 5) == ListPage(names: ["other"], last: nil))
        #expect(try await folders("list/", "list/child/a", 5) == ListPage(names: [], last: nil))
    }
}
