import CSystem
import Glibc

/// Bytes waiting to be written to one socket: a list of shared byte arrays (a broadcast
/// frame is one array referenced by every subscriber's queue) written with `writev`.
struct OutboundQueue {
    private var chunks: [[UInt8]] = []
    private var head = 0
    /// Bytes of `chunks[head]` already written.
    private var headOffset = 0
    /// Bytes still to write.
    private(set) var byteCount = 0

    var isEmpty: Bool { byteCount == 0 }

    mutating func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        chunks.append(bytes)
        byteCount += bytes.count
    }

    /// Drops everything queued (the connection is going away).
    mutating func removeAll() {
        chunks = []
        head = 0
        headOffset = 0
        byteCount = 0
    }

    private static let maxIOVecs = 64

    /// Writes as much as the socket takes. Returns true when the queue is empty, false
    /// after a short write (wait for EPOLLOUT); throws when the socket failed.
    mutating func write(to fd: Int32) throws(SystemError) -> Bool {
        while byteCount > 0 {
            let written = try writeBatch(fd)
            guard let written else { return false }
            consume(written)
        }
        chunks.removeAll(keepingCapacity: chunks.capacity <= 16)
        head = 0
        return true
    }

    /// One `sendmsg` of up to `maxIOVecs` chunks; nil when the socket would block.
    private func writeBatch(_ fd: Int32) throws(SystemError) -> Int? {
        let count = min(chunks.count - head, Self.maxIOVecs)
        if count == 1 {
            // The usual case (one frame or response since the last write): no iovec array.
            let result = chunks[head].withUnsafeBytes { raw -> Result<Int?, SystemError> in
                var iov = iovec(iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress! + headOffset),
                                iov_len: raw.count - headOffset)
                return Self.send(fd, &iov, count: 1)
            }
            return try result.get()
        }
        let result = withUnsafeTemporaryAllocation(of: iovec.self, capacity: count) { iov in
            pinChunks(from: 0, count: count, iov: iov, fd: fd)
        }
        return try result.get()
    }

    /// Fills `iov[index]` inside `withUnsafeBytes` of its chunk and recurses for the next,
    /// so `sendmsg` runs while every chunk's pointer is still inside its closure (a pointer
    /// may not escape `withUnsafeBytes`). Depth is at most `maxIOVecs`; usually one or two.
    private func pinChunks(from index: Int, count: Int, iov: UnsafeMutableBufferPointer<iovec>,
                           fd: Int32) -> Result<Int?, SystemError> {
        guard index < count else { return Self.send(fd, iov.baseAddress!, count: count) }
        let skip = index == 0 ? headOffset : 0
        return chunks[head + index].withUnsafeBytes { raw in
            iov[index] = iovec(iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress! + skip), iov_len: raw.count - skip)
            return pinChunks(from: index + 1, count: count, iov: iov, fd: fd)
        }
    }

    /// One `sendmsg` of `count` iovecs: bytes written, nil when it would block.
    private static func send(_ fd: Int32, _ iov: UnsafeMutablePointer<iovec>, count: Int) -> Result<Int?, SystemError> {
        do throws(SystemError) {
            switch try syscall("sendmsg", { csys_sendv(fd, iov, Int32(count)) }) {
            case .done(let n): return .success(n)
            case .wouldBlock: return .success(nil)
            }
        } catch {
            return .failure(error)
        }
    }

    private mutating func consume(_ written: Int) {
        var left = written
        byteCount -= written
        while left > 0 {
            let available = chunks[head].count - headOffset
            if left >= available {
                left -= available
                chunks[head] = []
                head += 1
                headOffset = 0
            } else {
                headOffset += left
                left = 0
            }
        }
        if head > 32, head * 2 > chunks.count {
            chunks.removeFirst(head)
            head = 0
        }
    }
}

extension OutboundQueue {
    /// Copies up to `buffer.count` bytes from the front of the queue into `buffer` without
    /// removing them and returns how many: the TLS path encrypts them as one record and
    /// removes what was written with `removeFirst(_:)`.
    func peek(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var copied = 0
        var index = head
        var skip = headOffset
        while copied < buffer.count, index < chunks.count {
            chunks[index].withUnsafeBytes { chunk in
                let count = min(chunk.count - skip, buffer.count - copied)
                (buffer.baseAddress! + copied).copyMemory(from: chunk.baseAddress! + skip, byteCount: count)
                copied += count
            }
            index += 1
            skip = 0
        }
        return copied
    }

    /// Removes `count` written bytes from the front of the queue.
    mutating func removeFirst(_ count: Int) {
        consume(count)
        if byteCount == 0 {
            chunks.removeAll(keepingCapacity: chunks.capacity <= 16)
            head = 0
        }
    }
}
