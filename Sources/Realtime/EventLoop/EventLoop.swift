import CSystem
import Foundation
import Glibc
import Synchronization

/// Something registered with an event loop that reacts to readiness of one file descriptor.
/// Called only on the loop's own thread.
protocol EventHandler: AnyObject {
    func handleEvent(_ events: UInt32)
}

/// Something that wants to run once at the end of the current loop iteration
/// (used to flush corked writes: many broadcasts become one `writev`).
protocol IterationEndHandler: AnyObject {
    func iterationDidEnd()
}

/// One thread running an epoll loop. Everything registered with a loop is touched only
/// on that thread; other threads talk to it through `execute(_:)` (an eventfd wake-up).
public final class EventLoop: @unchecked Sendable {
    /// Position of this loop among the server's loops.
    public let index: Int
    private let epollFD: Int32
    private let wakeFD: Int32
    private let timerFD: Int32
    private var handlers: [Int32: (generation: UInt32, handler: EventHandler)] = [:]
    private var generations: [Int32: UInt32] = [:]
    private let tasks = Mutex<[@Sendable () -> Void]>([])
    private let wakePending = Atomic<Bool>(false)
    private var timers = TimerHeap()
    private var iterationEnd: [IterationEndHandler] = []
    /// Work put off until the end of the iteration: close callbacks (application code).
    private var deferred: [() -> Void] = []
    private var running = true
    private var thread: Thread?
    private let stopped = DispatchSemaphore(value: 0)
    /// The monotonic time of the current iteration, read once per wake-up.
    public private(set) var now = Instant.now()
    /// How long this loop's iterations take (for `/metrics`).
    public let stats = LoopStats()

    private static let wakeToken: UInt64 = UInt64.max
    private static let timerToken: UInt64 = UInt64.max - 1

    init(index: Int) throws(SystemError) {
        self.index = index
        epollFD = csys_epoll_create()
        guard epollFD >= 0 else { throw SystemError(call: "epoll_create1", errno: errno) }
        wakeFD = csys_eventfd()
        guard wakeFD >= 0 else { throw SystemError(call: "eventfd", errno: errno) }
        timerFD = csys_timerfd()
        guard timerFD >= 0 else { throw SystemError(call: "timerfd_create", errno: errno) }
        guard csys_epoll_add(epollFD, wakeFD, csys_EPOLLIN, Self.wakeToken) == 0,
              csys_epoll_add(epollFD, timerFD, csys_EPOLLIN, Self.timerToken) == 0
        else { throw SystemError(call: "epoll_ctl(ADD)", errno: errno) }
    }

    deinit {
        close(epollFD)
        close(wakeFD)
        close(timerFD)
    }

    /// Starts the loop on its own thread.
    func start(name: String) {
        let thread = Thread { [self] in self.run() }
        thread.name = name
        thread.stackSize = 1 << 20
        self.thread = thread
        thread.start()
    }

    /// Blocks until the loop's thread has returned.
    func waitUntilStopped() { stopped.wait() }

    /// The loop thread's pthread id, set when the loop starts running.
    private let loopThreadID = Atomic<UInt>(0)

    /// True when called on this loop's thread (a pthread comparison: it runs on every send).
    public var inLoop: Bool { loopThreadID.load(ordering: .relaxed) == pthread_self() }

    /// Stops a debug build when called off this loop's thread (NIO's `assertInEventLoop`):
    /// loop-confined state touched from another thread is a data race. Before the loop
    /// runs, the thread setting it up (`Server.start`) owns it. Free in release builds.
    @inline(__always)
    public func assertInLoop(file: StaticString = #fileID, line: UInt = #line) {
        assert(inLoop || loopThreadID.load(ordering: .relaxed) == 0,
               "called off the thread of event loop \(index)", file: file, line: line)
    }

    /// Runs `task` on the loop's thread (soon, in order of submission). Safe from any thread.
    public func execute(_ task: @escaping @Sendable () -> Void) {
        tasks.withLock { $0.append(task) }
        if !wakePending.exchange(true, ordering: .acquiringAndReleasing) {
            // Fails only for a bad fd or a counter at 2^64 - 1: a lost wake-up would strand the task.
            let signalled = csys_eventfd_signal(wakeFD)
            precondition(signalled == 0, "eventfd write failed: errno \(errno)")
        }
    }

    /// Runs `task` on the loop's thread: at once when called there, else through `execute`.
    public func runOnLoop(_ task: @escaping @Sendable () -> Void) {
        if inLoop { task() } else { execute(task) }
    }

    /// Asks the loop to return after finishing its current iteration. Safe from any thread.
    func stop() {
        execute { [self] in running = false }
    }

    // MARK: Registration (loop thread only)

    /// Registers `handler` for `events` on `fd`, returning nothing: the fd is the key.
    func register(fd: Int32, events: UInt32, handler: EventHandler) throws(SystemError) {
        assertInLoop()
        let generation = (generations[fd] ?? 0) &+ 1
        generations[fd] = generation
        handlers[fd] = (generation, handler)
        if csys_epoll_add(epollFD, fd, events, Self.token(fd: fd, generation: generation)) != 0 {
            handlers[fd] = nil
            throw SystemError(call: "epoll_ctl(ADD)", errno: errno)
        }
    }

    /// Changes the events a registered fd waits for. Fails only for an fd the kernel no
    /// longer knows (closed behind our back) or when memory runs out: the caller closes.
    func modify(fd: Int32, events: UInt32) throws(SystemError) {
        assertInLoop()
        guard let entry = handlers[fd] else { return }
        if csys_epoll_mod(epollFD, fd, events, Self.token(fd: fd, generation: entry.generation)) != 0 {
            throw SystemError(call: "epoll_ctl(MOD)", errno: errno)
        }
    }

    /// Removes `fd` from the loop; events already fetched for it are dropped by generation.
    /// Call before closing the fd. EPOLL_CTL_DEL fails only for an fd that is not
    /// registered, which is a bug in our bookkeeping.
    func unregister(fd: Int32) {
        assertInLoop()
        let result = csys_epoll_del(epollFD, fd)
        assert(result == 0 || handlers[fd] == nil, "epoll_ctl(DEL) of a registered fd failed: errno \(errno)")
        handlers[fd] = nil
    }

    /// Asks for `handler.iterationDidEnd()` once, after the events of this iteration.
    func runAtIterationEnd(_ handler: IterationEndHandler) {
        assertInLoop()
        iterationEnd.append(handler)
    }

    /// Runs `body` on this loop after the current event, task or callback chain has
    /// returned: at the end of this iteration, after this iteration's writes. Close
    /// callbacks go through here (Redis `freeClientAsync`), so application code that
    /// sends or broadcasts while holding its own lock never has a callback that takes
    /// the same lock run inside that send.
    func deferToIterationEnd(_ body: @escaping () -> Void) {
        assertInLoop()
        deferred.append(body)
    }

    /// Runs `callback` on this loop after `seconds`; the returned id cancels it.
    @discardableResult
    public func schedule(after seconds: Double, _ callback: @escaping () -> Void) -> TimerID {
        assertInLoop()
        let deadline = Instant.now().adding(seconds: seconds)
        let (id, earliest) = timers.insert(deadline: deadline, callback: callback)
        if earliest { armTimer() }
        return id
    }

    /// Cancels a timer that has not fired yet.
    public func cancel(_ id: TimerID) {
        assertInLoop()
        timers.cancel(id)
    }

    private static func token(fd: Int32, generation: UInt32) -> UInt64 {
        UInt64(generation) << 32 | UInt64(UInt32(bitPattern: fd))
    }

    private func armTimer() {
        // timerfd_settime fails only for a bad fd or value (our bug): a timer never armed
        // would silently stop every timeout sweep.
        guard let next = timers.nextDeadline else {
            precondition(csys_timerfd_arm(timerFD, 0, 0) == 0, "timerfd_settime failed: errno \(errno)")
            return
        }
        let current = Instant.now()
        let delay = next > current ? next.nanoseconds - current.nanoseconds : 1
        precondition(csys_timerfd_arm(timerFD, max(delay, 1), 0) == 0, "timerfd_settime failed: errno \(errno)")
    }

    // MARK: The loop

    private func run() {
        loopThreadID.store(pthread_self(), ordering: .relaxed)
        var events = [csys_event](repeating: csys_event(), count: 256)
        while running {
            let count = events.withUnsafeMutableBufferPointer { csys_epoll_wait(epollFD, $0.baseAddress, 256, -1) }
            now = Instant.now()
            if count < 0 {
                precondition(errno == EINTR, "epoll_wait failed: errno \(errno)")
                continue
            }
            for i in 0..<Int(count) {
                dispatch(events[i])
            }
            runTasks()
            finishIteration()
            stats.record(nanoseconds: Int(truncatingIfNeeded: Instant.now().nanoseconds &- now.nanoseconds))
        }
        stopped.signal()
    }

    private func dispatch(_ event: csys_event) {
        switch event.data {
        case Self.wakeToken:
            _ = csys_eventfd_drain(wakeFD)
        case Self.timerToken:
            _ = csys_timerfd_drain(timerFD)
            fireTimers()
        default:
            let fd = Int32(bitPattern: UInt32(truncatingIfNeeded: event.data))
            let generation = UInt32(truncatingIfNeeded: event.data >> 32)
            // A stale event for an fd closed (and maybe reused) earlier in this iteration.
            guard let entry = handlers[fd], entry.generation == generation else { return }
            entry.handler.handleEvent(event.events)
        }
    }

    private func runTasks() {
        // Clear the flag before taking the tasks so a task queued meanwhile wakes us again.
        wakePending.store(false, ordering: .releasing)
        let batch = tasks.withLock { queued -> [@Sendable () -> Void] in
            let taken = queued
            queued.removeAll(keepingCapacity: true)
            return taken
        }
        for task in batch { task() }
    }

    private func fireTimers() {
        let current = Instant.now()
        while let callback = timers.popExpired(now: current) { callback() }
        armTimer()
    }

    private func finishIteration() {
        // Flushes may close sockets and close callbacks may send: loop until both are empty.
        while !iterationEnd.isEmpty || !deferred.isEmpty {
            let batch = iterationEnd
            iterationEnd.removeAll(keepingCapacity: true)
            for handler in batch { handler.iterationDidEnd() }
            guard !deferred.isEmpty else { continue }
            let work = deferred
            deferred.removeAll(keepingCapacity: true)
            for body in work { body() }
        }
    }
}
