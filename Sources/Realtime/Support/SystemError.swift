import Glibc

/// A failed system call: which call and the errno it left.
public struct SystemError: Error, CustomStringConvertible, Sendable {
    public let call: String
    public let errno: Int32

    public var description: String { "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))" }
}

/// The outcome of a non-blocking I/O call.
enum IOResult<T> {
    case done(T)
    /// EAGAIN / EWOULDBLOCK: try again when epoll says so.
    case wouldBlock
}

/// Runs a system call, retrying on EINTR; EAGAIN becomes `.wouldBlock`, any other
/// failure a `SystemError` naming the call.
@inline(__always)
func syscall<T: BinaryInteger>(_ name: @autoclosure () -> String, _ body: () -> T) throws(SystemError) -> IOResult<T> {
    while true {
        let result = body()
        if result >= 0 { return .done(result) }
        let code = Glibc.errno
        if code == EINTR { continue }
        if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
        throw SystemError(call: name(), errno: code)
    }
}
