import Dispatch
import Foundation
import Synchronization

/// The database of the help desk, on one of two engines behind the same API:
///
/// - SQLite (the embedded default): ONE writer connection used serially on its own dispatch
///   queue, and a small pool of reader connections (WAL lets them read while the writer
///   writes); a background checkpointer.
/// - PostgreSQL (`Location.postgres`, the shared store): one writer connection per process,
///   whose transactions also take a cluster-wide advisory lock so that one write transaction
///   runs at a time across processes (see `PostgresConnection.transaction`), and a small
///   pool of reader connections, each read a `REPEATABLE READ READ ONLY` snapshot.
///
/// Threading contract: every method is `async` and runs its database work on a private
/// serial queue through `withCheckedThrowingContinuation`, so callers on an event loop
/// never block; they await the result from a task.
///
/// Durability (SQLite): WAL with `synchronous=NORMAL`. A committed transaction survives a
/// process crash (kill -9) at any moment; only an operating-system crash or power loss may
/// lose the last commits (never corrupting the file). Open with `durability: .full` to fsync
/// every commit when that matters more than write latency. On PostgreSQL the server's
/// settings decide (`synchronous_commit`).
public final class Database: Sendable {
    /// How hard a commit is pushed to disk.
    public enum Durability: Sendable {
        /// `synchronous=NORMAL`: durable across process crashes (the default).
        case processCrash
        /// `synchronous=FULL`: also durable across OS crashes and power loss.
        case full
    }

    /// Where the data lives.
    public enum Location: Sendable, CustomStringConvertible {
        /// An SQLite database file (created if missing).
        case sqlite(path: String)
        /// A PostgreSQL database (which must exist; its tables are created by the migrations).
        case postgres(PostgresURL)

        /// A `postgres://` or `postgresql://` URL, else an SQLite file path. Throws
        /// `PostgresError` (`.usage`) for a PostgreSQL URL libpq cannot read.
        public init(_ string: String) throws {
            self = PostgresURL.isPostgresURL(string) ? .postgres(try PostgresURL(string)) : .sqlite(path: string)
        }

        /// The file path, or the URL with its password masked: safe to log.
        public var description: String {
            switch self {
            case .sqlite(let path): return path
            case .postgres(let url): return url.masked
            }
        }
    }

    /// Where this database lives.
    public let location: Location
    /// The SQL the connections speak.
    public let dialect: SQLDialect
    private let writer: Confined
    private let readers: [Confined]
    private let nextReader = Counter()
    /// SQLite only: copies the WAL back into the database file off the write path (see `init`).
    nonisolated(unsafe) private let checkpointer: DispatchSourceTimer?  // set once; cancel is thread-safe

    /// Background checkpoints that failed (a busy or failing disk), for `/metrics` (SQLite).
    public let checkpointFailures = SharedCount()

    /// How often committed pages are checkpointed in the background.
    static let checkpointIntervalMilliseconds = 1_000

    /// Opens or creates the SQLite database at `path`, applies pending migrations, and opens
    /// `readerCount` reader connections. Throws `SQLiteError` (or a migration failure).
    public convenience init(path: String, readerCount: Int = 2, durability: Durability = .processCrash) throws {
        try self.init(location: .sqlite(path: path), readerCount: readerCount, durability: durability)
    }

    /// Opens the database at `location`, applies pending migrations (SQLite's or
    /// PostgreSQL's), and prepares `readerCount` reader connections (on PostgreSQL they
    /// connect at first use). `durability` applies to SQLite. Throws `SQLiteError` or
    /// `PostgresError` (a server that cannot be reached fails here, naming the URL with its
    /// password masked), or a migration failure.
    public init(location: Location, readerCount: Int = 2, durability: Durability = .processCrash) throws {
        self.location = location
        switch location {
        case .sqlite(let path):
            dialect = .sqlite
            let writerConnection = try SQLiteConnection(path: path)
            if durability == .full { try writerConnection.execute("PRAGMA synchronous = FULL") }
            try Migrator(migrations: Schema.migrations).migrate(writerConnection)
            // A commit that crosses SQLite's auto-checkpoint threshold would copy the WAL into the
            // database inside the writer's commit (a latency spike for that request). Instead a
            // connection of its own runs a PASSIVE checkpoint every second: it never blocks
            // readers or the writer, and the WAL still stays small.
            try writerConnection.execute("PRAGMA wal_autocheckpoint = 0")
            checkpointer = try Self.startCheckpointer(path: path, failures: checkpointFailures)
            writer = Confined(writerConnection, label: "tickets.db.writer")
            var pool: [Confined] = []
            for index in 0..<max(1, readerCount) {
                let connection = try SQLiteConnection(path: path)
                try connection.execute("PRAGMA query_only = ON")
                pool.append(Confined(connection, label: "tickets.db.reader\(index)"))
            }
            readers = pool
        case .postgres(let url):
            dialect = .postgres
            let writerConnection = try PostgresConnection(url: url)
            try Migrator(migrations: PostgresSchema.migrations).migrate(writerConnection)
            checkpointer = nil
            writer = Confined(writerConnection, label: "tickets.db.writer")
            readers = try (0..<max(1, readerCount)).map { index in
                Confined(try PostgresConnection(url: url, connectNow: false), label: "tickets.db.reader\(index)")
            }
        }
    }

    private static func startCheckpointer(path: String, failures: SharedCount) throws -> DispatchSourceTimer {
        let checkpointConnection = Confined(try SQLiteConnection(path: path), label: "tickets.db.checkpoint")
        let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        let interval = DispatchTimeInterval.milliseconds(Self.checkpointIntervalMilliseconds)
        timer.schedule(deadline: .now() + interval, repeating: interval)
        // A failed checkpoint loses nothing (the WAL keeps every page) and the next one retries;
        // it is counted for /metrics rather than logged every second.
        timer.setEventHandler {
            checkpointConnection.runDetached { connection in
                do { try connection.execute("PRAGMA wal_checkpoint(PASSIVE)") } catch { failures.increment() }
            }
        }
        timer.resume()
        return timer
    }

    deinit { checkpointer?.cancel() }

    /// The SQLite file's path, or the PostgreSQL URL with its password masked (for logs).
    public var path: String { location.description }

    /// Runs `body` in one write transaction on the writer connection (SQLite: BEGIN IMMEDIATE;
    /// PostgreSQL: BEGIN and the writer lock); rolls back and rethrows if `body` throws.
    /// Writes are serialised (on PostgreSQL across every process on the database).
    @discardableResult
    func write<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        let committed = eventsCommitted
        return try await writer.run { connection in
            defer { connection.eventsAppended = false }
            let result = try connection.transaction { try body(connection) }
            if connection.eventsAppended { committed.signal() }
            return result
        }
    }

    /// `write` for SQLite-specific maintenance that needs the SQLite connection itself.
    /// Only valid when `dialect` is `.sqlite`.
    func writeSQLite<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        precondition(dialect == .sqlite, "writeSQLite on a \(dialect) database")
        return try await writer.run { connection in
            try connection.transaction { try body(connection as! SQLiteConnection) }
        }
    }

    /// Signalled after every commit that appended to the event log (the relay waits on it).
    public let eventsCommitted = Signal()

    /// Runs `body` on a reader connection inside one read transaction (a consistent snapshot).
    @discardableResult
    func read<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        let reader = readers[nextReader.next() % readers.count]
        return try await reader.run { connection in
            try connection.readTransaction { try body(connection) }
        }
    }

    /// Refreshes the query planner's statistics, so filtered lists pick the filter's index
    /// over the sort's when the filter is selective. Call at start-up, hourly and at shutdown.
    /// SQLite: `PRAGMA optimize`. PostgreSQL: nothing, its autovacuum daemon analyses tables
    /// as they change (an ANALYZE here would hold the writer queue for seconds at 1M tickets).
    public func optimize() async throws {
        guard dialect == .sqlite else { return }
        try await writer.run { try $0.execute("PRAGMA optimize") }
    }

    /// The numbers of the migrations applied so far, ascending.
    public func appliedMigrations() async throws -> [Int] {
        try await read { try Migrator.applied($0) }
    }

    /// Applies pending migrations again (a no-op when all are applied). Returns how many ran.
    @discardableResult
    public func migrate() async throws -> Int {
        let migrations = dialect == .sqlite ? Schema.migrations : PostgresSchema.migrations
        return try await writer.run { try Migrator(migrations: migrations).migrate($0) }
    }
}

/// A connection confined to one serial queue.
final class Confined: @unchecked Sendable {
    private let connection: any Connection
    private let queue: DispatchQueue

    init(_ connection: any Connection, label: String) {
        self.connection = connection
        self.queue = DispatchQueue(label: label)
    }

    /// Runs `body` with the connection on its queue without waiting for it.
    func runDetached(_ body: @escaping @Sendable (any Connection) -> Void) {
        queue.async { body(self.connection) }
    }

    /// Runs `body` with the connection on its queue and resumes the caller with the result.
    func run<T: Sendable>(_ body: @escaping @Sendable (any Connection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(self.connection) })
            }
        }
    }
}

/// A round-robin counter shared across threads.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)

    /// Returns the next value (wrapping, never negative).
    func next() -> Int {
        value.wrappingAdd(1, ordering: .relaxed).newValue & Int.max
    }
}

/// A wake-up for waiters in other tasks: `signal()` never blocks and never calls out;
/// a waiter that arrives after a signal it has not consumed returns at once.
public final class Signal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    public init() {}

    /// The current generation, to pass to `wait(after:)`.
    public var current: UInt64 { state.withLock { $0.generation } }

    /// Wakes every waiter. The continuations are resumed after the lock is released.
    public func signal() {
        let woken = state.withLock { state in
            state.generation &+= 1
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for continuation in woken { continuation.resume() }
    }

    /// Returns once a signal newer than `seen` has happened (at once if one already has).
    public func wait(after seen: UInt64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                if state.generation != seen { return true }
                state.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }
}

/// A counter shared across threads (for metrics).
public final class SharedCount: Sendable {
    private let count = Atomic<Int>(0)

    public init() {}

    public func increment() { count.add(1, ordering: .relaxed) }
    public var value: Int { count.load(ordering: .relaxed) }
}
