import Foundation

extension Data {
    /// The bytes as text: UTF-16 with a byte-order mark (as Windows tools write it), otherwise
    /// UTF-8 with or without one; invalid UTF-8 is repaired rather than refused.
    var decodedText: String {
        let start = Array(prefix(3))
        if start.starts(with: [0xFF, 0xFE]) { return String(data: dropFirst(2), encoding: .utf16LittleEndian) ?? "" }
        if start.starts(with: [0xFE, 0xFF]) { return String(data: dropFirst(2), encoding: .utf16BigEndian) ?? "" }
        let body = start == [0xEF, 0xBB, 0xBF] ? dropFirst(3) : self[...]
        return String(decoding: body, as: UTF8.self)
    }
}
