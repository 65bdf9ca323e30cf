import Foundation

/// Sizes as people write them on a command line, and as they read them.
public enum ByteSize {
    /// `512 MiB`, `1.5 GiB`, `800 B`: powers of 1024, at most one decimal, none when whole.
    public static func describe(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while abs(value) >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let rounded = (value * 10).rounded() / 10
        let text = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
        return "\(text) \(units[unit])"
    }

    /// Units and their scale: single letters and `KiB`…`TiB` are powers of 1024 (as memory
    /// limits usually are), `KB`…`TB` powers of 1000. Case does not matter.
    private static let units: [String: Int64] = [
        "": 1, "B": 1,
        "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40,
        "KIB": 1 << 10, "MIB": 1 << 20, "GIB": 1 << 30, "TIB": 1 << 40,
        "KB": 1000, "MB": 1_000_000, "GB": 1_000_000_000, "TB": 1_000_000_000_000,
    ]

    /// The bytes `text` names: `4096`, `256M`, `1.5G`, `20GiB`, `500MB`; `nil` when it is not
    /// a size (no number, an unknown unit, negative, or more than `Int64.max`). Fractions are
    /// rounded down to whole bytes.
    public static func parse(_ text: String) -> Int64? {
        let text = text.trimmingCharacters(in: .whitespaces)
        let number = text.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let unit = text.dropFirst(number.count).trimmingCharacters(in: .whitespaces).uppercased()
        guard let scale = units[unit], !number.isEmpty, number.filter({ $0 == "." }).count <= 1, number != "." else { return nil }
        if let whole = Int64(number) {
            let (bytes, overflow) = whole.multipliedReportingOverflow(by: scale)
            return overflow ? nil : bytes
        }
        guard let value = Double(number) else { return nil }
        let bytes = (value * Double(scale)).rounded(.down)
        guard bytes < 0x1p63 else { return nil }
        return Int64(bytes)
    }
}
