import HearthBase

/// What a checked archive holds: everything an import writes, proven safe and consistent
/// before anything is written.
public struct ImportPlan: Sendable {
    /// The archive's manifest; `nil` for a Deta export.
    public var manifest: ExportManifest?
    /// Each Base with its items, checked and in key order.
    public var bases: [PlannedBase]
    public var drives: [PlannedDrive]
    /// Bytes of all entries, uncompressed.
    public var totalBytes: Int64
    /// Entries of a Deta export that are neither Base nor Drive data, left out.
    public var skipped: [String]

    public struct PlannedBase: Sendable {
        public var name: String
        public var items: [Item]
    }

    public struct PlannedDrive: Sendable {
        public var name: String
        public var files: [PlannedFile]
    }

    public struct PlannedFile: Sendable {
        /// Its entry in the archive.
        public var path: String
        /// Its name in the Drive.
        public var name: String
        public var size: Int64
        public var sha256: String
        /// From the manifest; a Deta export's types are guessed from names.
        public var contentType: String?
    }

    /// Names of the Bases and Drives the import writes.
    public var baseNames: [String] { bases.map(\.name) }
    public var driveNames: [String] { drives.map(\.name) }
    public var itemCount: Int { bases.reduce(0) { $0 + $1.items.count } }
    public var fileCount: Int { drives.reduce(0) { $0 + $1.files.count } }
}
