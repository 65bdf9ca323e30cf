import Foundation
import HearthCore
import Synchronization

/// The open `BaseStore`s of a node, one per collection directory, opened on first use and
/// kept open (one pool per file).
public final class BaseStores: Sendable {
    private let stores = Mutex<[String: BaseStore]>([:])
    private let limits: BaseLimits
    private let clock: WallClock

    public init(limits: BaseLimits = BaseLimits(), clock: WallClock = .system) {
        self.limits = limits
        self.clock = clock
    }

    /// The store of the collection in `directory`, opening it if needed.
    public func store(in directory: URL) throws(BaseError) -> BaseStore {
        let file = DataLayout.baseDatabase(in: directory)
        return try stores.withLock { (stores) throws(BaseError) -> BaseStore in
            if let store = stores[file.path] { return store }
            let store = try BaseStore(file: file, limits: limits, clock: clock)
            stores[file.path] = store
            return store
        }
    }

    /// Every store opened so far.
    public var open: [BaseStore] { stores.withLock { Array($0.values) } }
}
