// The in-process storage ceiling: what SQLite (through GRDB, configured as Hearth configures
// it: WAL, `synchronous = FULL`) can do with no HTTP, JSON or scheduling in the way.
//
// Usage: StorageCeiling DIR [SECONDS] [ROWS]
// Progress goes to stderr; one JSON object with the figures goes to stdout.
import Dispatch
import Foundation
import GRDB

let args = CommandLine.arguments
guard args.count >= 2 else {
    FileHandle.standardError.write("usage: StorageCeiling DIR [SECONDS] [ROWS]\n".data(using: .utf8)!)
    exit(2)
}
let directory = URL(fileURLWithPath: args[1])
let seconds = args.count > 2 ? Double(args[2]) ?? 3 : 3
let rowCount = args.count > 3 ? Int(args[3]) ?? 100_000 : 100_000

func progress(_ line: String) {
    FileHandle.standardError.write("  [storage] \(line)\n".data(using: .utf8)!)
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Same schema and settings as Hearth's collection databases.
func openPool(_ name: String) throws -> DatabasePool {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var configuration = Configuration()
    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    let pool = try DatabasePool(path: directory.appendingPathComponent(name).path, configuration: configuration)
    try pool.write { db in
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS items (
                base INTEGER NOT NULL, key TEXT NOT NULL, doc TEXT NOT NULL, expires REAL,
                PRIMARY KEY (base, key)
            ) WITHOUT ROWID
            """)
    }
    return pool
}

func doc(_ i: Int) -> String { #"{"key":"k\#(i)","n":\#(i),"group":\#(i % 100),"name":"user-\#(i)"}"# }

/// Commits transactions of `rowsPerCommit` rows each for `seconds`; returns (commits, rows) per second.
func measureCommits(rowsPerCommit: Int, file: String) throws -> (commits: Double, rows: Double) {
    let pool = try openPool(file)
    var next = 0
    var commits = 0
    let start = now()
    while now() - start < seconds {
        try pool.write { db in
            let statement = try db.cachedStatement(sql: "INSERT INTO items (base, key, doc) VALUES (1, ?, ?)")
            for _ in 0..<rowsPerCommit {
                try statement.execute(arguments: ["k\(next)", doc(next)])
                next += 1
            }
        }
        commits += 1
    }
    let elapsed = now() - start
    return (Double(commits) / elapsed, Double(next) / elapsed)
}

/// A tiny per-thread PRNG, so that picking a key costs next to nothing.
struct XorShift {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Int(state % UInt64(bound))
    }
}

final class Counts: @unchecked Sendable {  // each slot written by one thread only
    var values: [Int]
    init(_ n: Int) { values = Array(repeating: 0, count: n) }
}

/// Point reads by primary key, random keys, from `threads` threads for `seconds`.
/// `perLookupAccess`: one `pool.read {}` (a read transaction) per lookup, as a server request does;
/// otherwise each thread loops inside one read transaction (the raw SQLite ceiling).
func measureReads(_ pool: DatabasePool, keys: [String], threads: Int, perLookupAccess: Bool) -> Double {
    let counts = Counts(threads)
    let start = now()
    DispatchQueue.concurrentPerform(iterations: threads) { t in
        var rng = XorShift(state: 0x9E37_79B9_7F4A_7C15 &+ UInt64(t) &* 7919)
        var n = 0
        let sql = "SELECT doc FROM items WHERE base = 1 AND key = ?"
        func lookup(_ db: Database) throws {
            let key = keys[rng.next(keys.count)]
            guard try String.fetchOne(db.cachedStatement(sql: sql), arguments: [key]) != nil else {
                fatalError("missing row \(key)")
            }
            n += 1
        }
        do {
            if perLookupAccess {
                while now() - start < seconds { try pool.read { db in try lookup(db) } }
            } else {
                try pool.read { db in
                    while now() - start < seconds { for _ in 0..<64 { try lookup(db) } }
                }
            }
        } catch { fatalError("read failed: \(error)") }
        counts.values[t] = n
    }
    let elapsed = now() - start
    return Double(counts.values.reduce(0, +)) / elapsed
}

var results: [String: Double] = [:]

progress("single-row commits (1 INSERT per transaction, WAL, synchronous=FULL), \(seconds) s")
let single = try measureCommits(rowsPerCommit: 1, file: "single.sqlite")
results["commit_single_per_s"] = single.commits
progress(String(format: "  %.0f commits/s", single.commits))

progress("grouped commits (64 rows per transaction), \(seconds) s")
let grouped = try measureCommits(rowsPerCommit: 64, file: "grouped.sqlite")
results["commit_grouped64_rows_per_s"] = grouped.rows
results["commit_grouped64_commits_per_s"] = grouped.commits
progress(String(format: "  %.0f rows/s (%.0f commits/s)", grouped.rows, grouped.commits))

progress("seeding \(rowCount) rows for point reads")
let readPool = try openPool("reads.sqlite")
try readPool.write { db in
    let statement = try db.cachedStatement(sql: "INSERT INTO items (base, key, doc) VALUES (1, ?, ?)")
    for i in 0..<rowCount { try statement.execute(arguments: ["user-\(i)", doc(i)]) }
}
let keys = (0..<rowCount).map { "user-\($0)" }

for (threads, perLookup, name) in [
    (1, false, "read_loop_1t_per_s"), (2, false, "read_loop_2t_per_s"),
    (1, true, "read_access_1t_per_s"), (2, true, "read_access_2t_per_s"),
] {
    progress("point reads, \(threads) thread(s), \(perLookup ? "one pool.read per lookup" : "loop in one read transaction"), \(seconds) s")
    let rate = measureReads(readPool, keys: keys, threads: threads, perLookupAccess: perLookup)
    results[name] = rate
    progress(String(format: "  %.0f reads/s", rate))
}

let json = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
