import Crypto

/// Random identifiers and secrets, and the one-way hash under which secrets are stored.
public enum Secrets {
    private static let lowercase = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
    private static let mixed = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// A random string over `[a-z0-9]` starting with a letter: project ids and key ids.
    public static func identifier(length: Int = 10) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [lowercase[Int.random(in: 0..<26, using: &generator)]]
        for _ in 1..<length { bytes.append(lowercase.randomElement(using: &generator)!) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A random secret over `[A-Za-z0-9]` (never `_`, so `{id}_{secret}` splits once).
    /// 32 characters carry about 190 bits.
    public static func secret(length: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return String(decoding: (0..<length).map { _ in mixed.randomElement(using: &generator)! }, as: UTF8.self)
    }

    /// The SHA-256 of a high-entropy secret, as lowercase hex. Secrets are random, so a fast
    /// hash is the right tool here; passphrases use a slow KDF instead.
    public static func hash(_ secret: String) -> String {
        SHA256.hash(data: Array(secret.utf8)).hexString
    }

    /// Whether two secrets are equal, in a time that does not depend on where they differ.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Sequence<UInt8> {
    /// The bytes as lowercase hexadecimal.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
