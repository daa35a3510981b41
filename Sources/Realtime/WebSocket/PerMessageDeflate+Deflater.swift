import CZlib
#if canImport(Glibc)
import Glibc
#endif

extension PerMessageDeflate {
    /// Compresses one whole message from a fresh context (server_no_context_takeover)
    /// and strips the trailing 00 00 FF FF (RFC 7692 section 7.2.1).
    ///
    /// `windowBits` is the negotiated `serverMaxWindowBits`. Uses a reusable zlib
    /// stream per thread, so it is cheap to call for every outbound message.
    public static func compress(_ payload: [UInt8], windowBits: Int = maxWindowBits) -> [UInt8] {
        payload.withUnsafeBytes { Deflater.forCurrentThread.compress($0, windowBits: windowBits) }
    }

    /// Compresses `payload` (see `compress(_:windowBits:)`).
    public static func compress(_ payload: UnsafeRawBufferPointer, windowBits: Int = maxWindowBits) -> [UInt8] {
        Deflater.forCurrentThread.compress(payload, windowBits: windowBits)
    }

    /// Reusable raw-deflate streams, one per window size, owned by one thread.
    final class Deflater {
        /// zlib's default compression level and memory level: a good speed/ratio balance.
        private static let level: Int32 = 6
        private static let memoryLevel: Int32 = 8
        private var streams: [UnsafeMutablePointer<z_stream>?] = Array(repeating: nil, count: maxWindowBits + 1)

        /// The calling thread's deflater, created on first use and freed when the thread exits.
        static var forCurrentThread: Deflater {
            if let existing = pthread_getspecific(deflaterKey) {
                return Unmanaged<Deflater>.fromOpaque(existing).takeUnretainedValue()
            }
            let deflater = Deflater()
            pthread_setspecific(deflaterKey, Unmanaged.passRetained(deflater).toOpaque())
            return deflater
        }

        deinit {
            for case let stream? in streams {
                deflateEnd(stream)
                stream.deallocate()
            }
        }

        /// Compresses one message with a reset stream; see `PerMessageDeflate.compress`.
        func compress(_ payload: UnsafeRawBufferPointer, windowBits: Int) -> [UInt8] {
            let stream = stream(windowBits: windowBits)
            deflateReset(stream)
            // A sync flush adds at most an empty stored block (5 bytes) beyond deflateBound.
            let capacity = Int(deflateBound(stream, UInt(payload.count))) + 16
            var result = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: payload.baseAddress?.assumingMemoryBound(to: Bytef.self))
                stream.pointee.avail_in = UInt32(payload.count)
                stream.pointee.next_out = buffer.baseAddress
                stream.pointee.avail_out = UInt32(capacity)
                let status = deflate(stream, Z_SYNC_FLUSH)
                precondition(status == Z_OK && stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0,
                             "deflate with a deflateBound-sized buffer must finish in one call")
                initialized = capacity - Int(stream.pointee.avail_out)
            }
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
            precondition(result.suffix(4).elementsEqual(syncFlushTail), "a sync flush ends with 00 00 FF FF")
            result.removeLast(4)
            return result
        }

        /// The stream for `windowBits`, created on first use.
        ///
        /// zlib cannot deflate raw streams with an 8-bit window, so 8 uses a 9-bit
        /// window with run-length matching only (every match distance is 1), which
        /// any peer inflating with a 256-byte window decodes correctly.
        private func stream(windowBits: Int) -> UnsafeMutablePointer<z_stream> {
            precondition((minWindowBits...maxWindowBits).contains(windowBits), "window bits out of range")
            if let existing = streams[windowBits] { return existing }
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            let bits = Int32(max(windowBits, 9))
            let strategy = windowBits == minWindowBits ? Z_RLE : Z_DEFAULT_STRATEGY
            let status = deflateInit2_(stream, Self.level, Z_DEFLATED, -bits, Self.memoryLevel, strategy,
                                       zlibVersion(), Int32(MemoryLayout<z_stream>.size))
            precondition(status == Z_OK, "deflateInit2_ failed with \(status)")
            streams[windowBits] = stream
            return stream
        }
    }
}

/// The thread-specific slot holding each thread's `Deflater`; released at thread exit.
private let deflaterKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { pointer in
        guard let pointer else { return }
        Unmanaged<PerMessageDeflate.Deflater>.fromOpaque(pointer).release()
    }
    precondition(status == 0, "pthread_key_create failed")
    return key
}()
