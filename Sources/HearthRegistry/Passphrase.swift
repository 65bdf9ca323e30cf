import Crypto
import Dispatch
import Foundation
import HearthCore
import _CryptoExtras

/// Owners' passphrases, stored only as scrypt hashes: `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`
/// (base64). The cost (N = 2^16, r = 8, p = 2: 64 MiB, a few hundred milliseconds) is OWASP's
/// recommended strength; hashes keep their parameters, so a later cost still verifies old ones.
public enum Passphrase {
    static let logRounds = 16
    static let blockSize = 8
    static let parallelism = 2
    static let characters = 8...1024

    /// One derivation at a time, off the server's threads: bounds memory (64 MiB each) and
    /// keeps a flood of logins from starving requests.
    private static let queue = DispatchQueue(label: "hearth.passphrase")

    /// Checks that a new passphrase is long enough to stand up to guessing.
    public static func validate(_ passphrase: String) throws(RegistryError) {
        guard characters.contains(passphrase.count) else {
            throw RegistryError(
                RegistryError.weakPassphrase,
                "A passphrase needs \(characters.lowerBound) to \(characters.upperBound) characters; a few words make a good one")
        }
    }

    /// A new hash of `passphrase` with a fresh salt.
    static func hash(_ passphrase: String) async throws -> String {
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255) }
        let derived = try await derive(passphrase, salt: salt, logRounds: logRounds, blockSize: blockSize, parallelism: parallelism)
        return [
            "scrypt", "\(logRounds)", "\(blockSize)", "\(parallelism)", Data(salt).base64EncodedString(), derived.base64EncodedString(),
        ]
        .joined(separator: "$")
    }

    /// Whether `passphrase` matches a stored hash; `false` for a malformed one.
    static func verify(_ passphrase: String, against stored: String) async -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "scrypt", let logRounds = Int(parts[1]), (10...22).contains(logRounds),
            let blockSize = Int(parts[2]), (1...32).contains(blockSize), let parallelism = Int(parts[3]), (1...16).contains(parallelism),
            let salt = Data(base64Encoded: String(parts[4])), let expected = Data(base64Encoded: String(parts[5])), !expected.isEmpty,
            let derived = try? await derive(
                passphrase, salt: Array(salt), logRounds: logRounds, blockSize: blockSize, parallelism: parallelism,
                length: expected.count)
        else { return false }
        return Secrets.equal(Array(derived), Array(expected))
    }

    private static func derive(
        _ passphrase: String, salt: [UInt8], logRounds: Int, blockSize: Int, parallelism: Int, length: Int = 32
    ) async throws -> Data {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(
                    with: Result {
                        let key = try KDF.Scrypt.deriveKey(
                            from: Array(passphrase.utf8), salt: salt, outputByteCount: length, rounds: 1 << logRounds,
                            blockSize: blockSize, parallelism: parallelism,
                            maxMemory: 128 * blockSize * (1 << logRounds) * (parallelism + 1) + (1 << 20))
                        return key.withUnsafeBytes { Data($0) }
                    })
            }
        }
    }
}
