import Foundation
import HearthCore
import Synchronization

/// The open `BaseStore`s of a node, one per collection, opened on first use and
/// kept open (one pool per file).
public final class BaseStores: Sendable {
    private let stores = Mutex<[String: BaseStore]>([:])
    private let limits: BaseLimits
    private let clock: WallClock

    public init(limits: BaseLimits = BaseLimits(), clock: WallClock = .system) {
        self.limits = limits
        self.clock = clock
    }

    /// The store of collection `id`, opening the one in `directory` on first use.
    public func store(id: String, in directory: @autoclosure () -> URL) throws(BaseError) -> BaseStore {
        try stores.withLock { (stores) throws(BaseError) -> BaseStore in
            if let store = stores[id] { return store }
            let store = try BaseStore(file: DataLayout.baseDatabase(in: directory()), limits: limits, clock: clock)
            stores[id] = store
            return store
        }
    }

    /// Every store opened so far.
    public var open: [BaseStore] { stores.withLock { Array($0.values) } }
}
