import Foundation

/// A `Range` request header (RFC 9110 §14) for one byte range of a file of known size.
/// Multiple ranges and other units are ignored (the whole file is sent), as the RFC allows.
enum ByteRange: Equatable {
    case whole
    /// Inclusive bounds, already clipped to the file.
    case part(lower: Int64, upper: Int64)
    case unsatisfiable

    init(header: String?, size: Int64) {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else {
            self = .whole
            return
        }
        let spec = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
        guard let dash = spec.firstIndex(of: "-") else {
            self = .whole
            return
        }
        let first = spec[..<dash], last = spec[spec.index(after: dash)...]
        switch (Int64(first), Int64(last)) {
        case (let lower?, nil) where last.isEmpty && lower >= 0:
            self = lower < size ? .part(lower: lower, upper: size - 1) : .unsatisfiable
        case (let lower?, let upper?) where lower >= 0 && upper >= lower:
            self = lower < size ? .part(lower: lower, upper: min(upper, size - 1)) : .unsatisfiable
        case (nil, let suffix?) where first.isEmpty && suffix >= 0:
            self = suffix > 0 && size > 0 ? .part(lower: max(0, size - suffix), upper: size - 1) : .unsatisfiable
        default:
            self = .whole
        }
    }
}
