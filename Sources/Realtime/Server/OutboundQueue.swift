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

    /// Writes as much as the socket takes. Returns `.done(true)` when the queue is empty,
    /// `.done(false)` after a short write (wait for EPOLLOUT).
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

    private func writeBatch(_ fd: Int32) throws(SystemError) -> Int? {
        let count = min(chunks.count - head, Self.maxIOVecs)
        return try withUnsafeTemporaryAllocation(of: iovec.self, capacity: count) { iov throws(SystemError) -> Int? in
            // The arrays outlive the call (they are held by `chunks`), so their base
            // addresses stay valid for the duration of sendmsg.
            for i in 0..<count {
                let chunk = chunks[head + i]
                let skip = i == 0 ? headOffset : 0
                chunk.withUnsafeBytes { raw in
                    iov[i] = iovec(iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress! + skip), iov_len: raw.count - skip)
                }
            }
            switch try syscall("sendmsg", { csys_sendv(fd, iov.baseAddress, Int32(count)) }) {
            case .done(let n): return n
            case .wouldBlock: return nil
            }
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
