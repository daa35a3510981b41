import Glibc

/// A request body the server wrote to a temporary file instead of memory. The file is
/// unlinked as soon as it is created, so it disappears with the last reference to this
/// object, even if the process dies. Reads are positional and safe from any thread;
/// appends happen only on the connection's loop, before the file is handed to a handler.
public final class HTTPBodyFile: @unchecked Sendable {
    private let fd: Int32
    private let budget: BodyBudget?
    /// The body's length in bytes.
    public private(set) var count = 0

    /// An empty, unnamed file in `directory`; its bytes count against `budget`'s disk share.
    init(directory: String, budget: BodyBudget?) throws(SystemError) {
        var template = Array((directory + "/request-body-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw SystemError(call: "mkstemp(\(directory))", errno: errno) }
        _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        self.fd = fd
        self.budget = budget
    }

    /// A body file holding `contents`, in `directory` (for handlers and tests that build a
    /// request in process). Throws `SystemError` when the file cannot be created or written.
    public convenience init(contents: [UInt8], directory: String = "/tmp") throws(SystemError) {
        try self.init(directory: directory, budget: nil)
        var failure: SystemError?
        contents.withUnsafeBytes { raw in
            do throws(SystemError) { try append(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    deinit {
        close(fd)
        budget?.releaseDisk(count)
    }

    /// Appends `bytes` at the end (the caller has taken them from the disk budget).
    func append(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError(call: "write(request body file)", errno: errno)
            }
            offset += n
            count += n
        }
    }

    /// The bytes of `range` (within `0..<count`). Throws `SystemError` on an I/O error.
    public func read(_ range: Range<Int>) throws(SystemError) -> [UInt8] {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "read outside the body")
        guard !range.isEmpty else { return [] }
        var bytes = [UInt8](repeating: 0, count: range.count)
        var done = 0
        var failure: Int32 = 0
        bytes.withUnsafeMutableBytes { raw in
            while done < range.count {
                let n = pread(fd, raw.baseAddress! + done, range.count - done, off_t(range.lowerBound + done))
                if n < 0, errno == EINTR { continue }
                if n <= 0 {
                    failure = n == 0 ? EIO : errno
                    return
                }
                done += n
            }
        }
        if failure != 0 { throw SystemError(call: "pread(request body file)", errno: failure) }
        return bytes
    }

    /// The whole body in memory.
    public func readAll() throws(SystemError) -> [UInt8] { try read(0..<count) }
}
