import Foundation

/// A checked space archive, unpacked into a work directory: every part proven safe and
/// consistent (the space manifest's hashes, each release's signature and hashes, each data
/// export's manifest) before anything is installed.
public struct SpaceImportPlan: Sendable {
    public var manifest: SpaceManifest
    public var instances: [PlannedInstance]
    public var collections: [PlannedCollection]

    public struct PlannedInstance: Sendable {
        public var record: SpaceManifest.InstanceRecord
        /// The verified release holding its app, in the work directory.
        public var release: URL
        public var releaseBytes: Int64
        /// The checked instance export holding its data, in the work directory.
        public var data: URL
        public var plan: ImportPlan
    }

    public struct PlannedCollection: Sendable {
        public var record: SpaceManifest.CollectionRecord
        public var data: URL
        public var plan: ImportPlan
    }

    /// Bytes the import writes: every app and all data, with room for databases to grow.
    public var neededBytes: Int64 {
        let data = (instances.map(\.plan) + collections.map(\.plan)).reduce(Int64(0)) { $0 + $1.totalBytes }
        return instances.reduce(Int64(0)) { $0 + $1.releaseBytes } + data + data / 50 + (64 << 20)
    }

    public var itemCount: Int { (instances.map(\.plan) + collections.map(\.plan)).reduce(0) { $0 + $1.itemCount } }
    public var fileCount: Int { (instances.map(\.plan) + collections.map(\.plan)).reduce(0) { $0 + $1.fileCount } }
}
