/// The content type of an icon, told by its first bytes rather than its name.
enum ImageType {
    /// `image/png`, `image/webp` or `image/jpeg`; nil for anything else.
    static func sniff(_ data: some Collection<UInt8>) -> String? {
        let head = Array(data.prefix(12))
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if head.count == 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) { return "image/webp" }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        return nil
    }
}
