/// Masking of payloads (RFC 6455 section 5.3), eight bytes at a time.
///
/// A key is the four masking-key bytes loaded little-endian, so byte `i` of the
/// payload is XORed with `key >> (8 * (i % 4))`.
enum WebSocketMask {
    /// The key to use for a chunk that starts `offset` bytes into the payload.
    @inline(__always)
    static func rotate(_ key: UInt32, by offset: Int) -> UInt32 {
        let shift = UInt32(offset & 3) * 8
        return shift == 0 ? key : (key >> shift) | (key << (32 - shift))
    }

    /// XORs `bytes` in place with `key` (already rotated to the first byte).
    @inline(__always)
    static func apply(_ key: UInt32, to bytes: UnsafeMutableRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        let wide = UInt64(key) | UInt64(key) << 32
        let count = bytes.count
        var i = 0
        while i + 8 <= count {
            let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            base.storeBytes(of: word ^ wide.littleEndian, toByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < count {
            let k = UInt8(truncatingIfNeeded: key >> (UInt32(i & 3) * 8))
            base.storeBytes(of: base.load(fromByteOffset: i, as: UInt8.self) ^ k, toByteOffset: i, as: UInt8.self)
            i += 1
        }
    }

    /// Appends `source` to `destination`, unmasked with `key` (already rotated).
    @inline(__always)
    static func appendUnmasked(_ source: UnsafeRawBufferPointer, key: UInt32, to destination: inout [UInt8]) {
        let start = destination.count
        destination.append(contentsOf: source)
        destination.withUnsafeMutableBytes { all in
            apply(key, to: UnsafeMutableRawBufferPointer(rebasing: all[start...]))
        }
    }
}
