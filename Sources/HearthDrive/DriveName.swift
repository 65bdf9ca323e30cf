import HearthCore

/// The rules for Drive file names (spec §2.2): `/` separates folders, so a name may not end
/// with it; names are not empty or blank, hold no control characters and fit `maxBytes`.
public enum DriveName {
    public static func validate(_ name: String, maxBytes: Int) throws(DriveError) {
        guard !name.allSatisfy(\.isWhitespace) else { throw .bad("Invalid name: it is empty") }
        guard !name.hasSuffix("/") else { throw .bad("Invalid name: it ends with '/'") }
        guard name.utf8.count <= maxBytes else { throw .bad("Invalid name: longer than \(maxBytes) bytes") }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .bad("Invalid name: it contains control characters")
        }
    }

    /// Checks a Drive's own name, taken from the URL (see `isValidResourceName`).
    public static func validateDrive(_ name: String) throws(DriveError) {
        guard isValidResourceName(name) else { throw .bad("Invalid drive name") }
    }
}
