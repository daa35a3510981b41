/// The body of the request being read: in memory while it is small and the server-wide
/// memory budget allows, otherwise in an unlinked temporary file (`HTTPBodyFile`). So a
/// body in progress holds at most `bodySpoolThresholdBytes` of memory, and all of them
/// together at most `maxBufferedBodyBytesTotal`.
final class RequestBody {
    enum Failure: Error {
        /// Past the route's `HTTPBodyPolicy.maxBytes` (413).
        case tooLarge(limit: Int)
        /// The server-wide disk share for spooled bodies is used up (503, retry later).
        case spoolFull
        /// The temporary file could not be created or written (503).
        case io(SystemError)
    }

    let policy: HTTPBodyPolicy
    private(set) var count = 0
    private var memory: [UInt8] = []
    private var file: HTTPBodyFile?
    private let budget: BodyBudget
    private let spoolThreshold: Int
    private let spoolDirectory: String

    /// A body for a request whose head declared `declaredLength` bytes (nil: chunked).
    /// Throws `.tooLarge` when the declared length already passes the policy; a declared
    /// length past the spool threshold goes to a file from the first byte.
    init(policy: HTTPBodyPolicy, declaredLength: Int?, budget: BodyBudget, configuration: ServerConfiguration) throws(Failure) {
        self.policy = policy
        self.budget = budget
        spoolThreshold = configuration.bodySpoolThresholdBytes
        spoolDirectory = configuration.bodySpoolDirectory
        if let declaredLength {
            guard declaredLength <= policy.maxBytes else { throw .tooLarge(limit: policy.maxBytes) }
            if declaredLength > spoolThreshold { try spill() }
        }
    }

    deinit { budget.releaseMemory(memory.count) }

    /// Adds received bytes. Throws `.tooLarge` past the policy, `.spoolFull` or `.io`
    /// when a file is needed and cannot be had.
    func append(_ bytes: UnsafeRawBufferPointer) throws(Failure) {
        guard count + bytes.count <= policy.maxBytes else { throw .tooLarge(limit: policy.maxBytes) }
        if file == nil, count + bytes.count <= spoolThreshold, budget.takeMemory(bytes.count) {
            memory.append(contentsOf: bytes)
            count += bytes.count
            return
        }
        if file == nil { try spill() }
        try write(bytes)
        count += bytes.count
    }

    /// Hands the complete body over: the bytes in memory, or the file (whose disk share is
    /// released when the last reference to it goes).
    func finish() -> (bytes: [UInt8], file: HTTPBodyFile?) {
        budget.releaseMemory(memory.count)
        defer { memory = [] }
        return (memory, file)
    }

    /// Moves the body to a new temporary file (past the threshold or the memory budget).
    private func spill() throws(Failure) {
        do {
            file = try HTTPBodyFile(directory: spoolDirectory, budget: budget)
        } catch {
            throw .io(error)
        }
        let held = memory
        memory = []
        budget.releaseMemory(held.count)
        var failure: Failure?
        held.withUnsafeBytes { raw in
            do throws(Failure) { try write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private func write(_ bytes: UnsafeRawBufferPointer) throws(Failure) {
        guard let file else { preconditionFailure("write before spill") }
        guard budget.takeDisk(bytes.count) else { throw .spoolFull }
        let before = file.count
        do {
            try file.append(bytes)
        } catch {
            // The file releases what it holds when it goes; give back what it never got.
            budget.releaseDisk(bytes.count - (file.count - before))
            throw .io(error)
        }
    }
}
