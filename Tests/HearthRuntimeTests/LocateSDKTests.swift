import Foundation
import HearthTesting
import Testing

@testable import HearthRuntime

@Suite struct LocateSDKTests {
    @Test func findsTheRepositoryCopyAboveADevelopmentBuild() async throws {
        try await withTemporaryDirectory { repo in
            let sdk = repo.appendingPathComponent("sdk/python")
            try Self.makeSDK(at: sdk)
            let executable = repo.appendingPathComponent(".build/debug/hearth").path
            #expect(BuildTools.locateSDK(environment: [:], executable: executable)?.path == sdk.path)
        }
    }

    @Test func findsAnInstalledCopyBesideTheBinary() async throws {
        try await withTemporaryDirectory { prefix in
            let sdk = prefix.appendingPathComponent("share/hearth/python")
            try Self.makeSDK(at: sdk)
            let found = BuildTools.locateSDK(environment: [:], executable: prefix.appendingPathComponent("bin/hearth").path)
            #expect(found?.standardized.path == sdk.standardized.path)
        }
    }

    @Test func theEnvironmentWinsAndNothingIsFoundWithoutAnSDK() async throws {
        try await withTemporaryDirectory { directory in
            let configured = BuildTools.locateSDK(environment: ["HEARTH_SDK_DIR": "/opt/sdk"], executable: nil)
            #expect(configured?.path == "/opt/sdk")
            let executable = directory.appendingPathComponent("bin/hearth").path
            #expect(BuildTools.locateSDK(environment: [:], executable: executable) == nil)
        }
    }

    static func makeSDK(at directory: URL) throws {
        let package = directory.appendingPathComponent("deta")
        try FileManager.default.createDirectory(at: package, withIntermediateDirectories: true)
        try Data().write(to: package.appendingPathComponent("__init__.py"))
    }
}
