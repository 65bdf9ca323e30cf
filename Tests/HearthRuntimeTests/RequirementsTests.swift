import Foundation
import Testing

@testable import HearthRuntime

@Suite struct RequirementsTests {
    let directory = URL(fileURLWithPath: "/app/api")

    @Test func dropsEveryFormOfTheDetaRequirement() {
        let text = """
            # the app
            deta==1.1.0
            Deta[async]>=1.1.0a2,<2.0.0 ; python_version >= "3.8"
            DETA
            deta @ https://example.com/deta.tar.gz
            fastapi==0.95.0  # web
            deta-extras==1.0
            detach
            requests[socks]>=2
            """
        let requirements = Requirements(bytes: Data(text.utf8), directory: directory)
        #expect(requirements.droppedDeta)
        #expect(requirements.lines == ["fastapi==0.95.0", "deta-extras==1.0", "detach", "requests[socks]>=2"])
        #expect(requirements.packageCount == 4)
    }

    @Test func readsUTF16WithAByteOrderMark() {
        let text = "deta==1.1.0\r\nflask==2.2.2\r\n"
        var little = Data([0xFF, 0xFE])
        for unit in text.utf16 { little.append(contentsOf: [UInt8(unit & 0xFF), UInt8(unit >> 8)]) }
        var big = Data([0xFE, 0xFF])
        for unit in text.utf16 { big.append(contentsOf: [UInt8(unit >> 8), UInt8(unit & 0xFF)]) }
        for bytes in [little, big, Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)] {
            let requirements = Requirements(bytes: bytes, directory: directory)
            #expect(requirements.lines == ["flask==2.2.2"])
            #expect(requirements.droppedDeta)
        }
    }

    @Test func keepsOptionsAndMakesIncludedFilesAbsolute() {
        let text = """
            --index-url https://pypi.example/simple
            -r base.txt
            --constraint=sub/constraints.txt
            -r /etc/absolute.txt
            uvicorn \\
                --hash=sha256:abc
            """
        let requirements = Requirements(bytes: Data(text.utf8), directory: directory)
        #expect(
            requirements.lines == [
                "--index-url https://pypi.example/simple", "-r /app/api/base.txt", "--constraint /app/api/sub/constraints.txt",
                "-r /etc/absolute.txt", "uvicorn      --hash=sha256:abc",
            ])
        #expect(requirements.packageCount == 1)
        #expect(!requirements.droppedDeta)
    }

    @Test func anEmptyFileHasNothingToInstall() {
        let requirements = Requirements(bytes: Data(), directory: directory)
        #expect(requirements.lines.isEmpty && requirements.packageCount == 0 && requirements.text.isEmpty)
    }
}
