/// A streaming UTF-8 validator (RFC 3629 section 4) that keeps its state across
/// fragments and frames, so a text message fails at its first invalid byte even
/// when the rest has not arrived (RFC 6455 section 8.1; Autobahn 6.4.*).
///
/// Rejects overlong forms, surrogates (U+D800-DFFF) and code points above U+10FFFF.
struct UTF8Validator {
    /// Continuation bytes still expected for the current sequence.
    private var remaining: UInt8 = 0
    /// The range the next continuation byte must fall in (narrower after E0, ED, F0, F4).
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    /// True when no sequence is left open: the message may end here.
    var isComplete: Bool { remaining == 0 }

    /// Validates the next bytes; returns false at the first byte that cannot be UTF-8.
    /// After a false result the validator's state is meaningless.
    mutating func validate(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var i = 0
        while i < count {
            if remaining == 0 {
                // ASCII fast path: eight bytes at a time while no high bit is set.
                while i + 8 <= count,
                      base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                }
                guard i < count else { return true }
                let b = base.load(fromByteOffset: i, as: UInt8.self)
                i += 1
                if b < 0x80 { continue }
                guard start(b) else { return false }
            } else {
                let b = base.load(fromByteOffset: i, as: UInt8.self)
                i += 1
                guard b >= lower && b <= upper else { return false }
                remaining -= 1
                lower = 0x80
                upper = 0xBF
            }
        }
        return true
    }

    /// Begins a multi-byte sequence at lead byte `b`; false when `b` cannot lead one.
    private mutating func start(_ b: UInt8) -> Bool {
        switch b {
        case 0xC2...0xDF: remaining = 1
        case 0xE0: remaining = 2; lower = 0xA0            // no overlong 3-byte forms
        case 0xE1...0xEC, 0xEE...0xEF: remaining = 2
        case 0xED: remaining = 2; upper = 0x9F            // no surrogates
        case 0xF0: remaining = 3; lower = 0x90            // no overlong 4-byte forms
        case 0xF1...0xF3: remaining = 3
        case 0xF4: remaining = 3; upper = 0x8F            // nothing above U+10FFFF
        default: return false
        }
        return true
    }

    /// Whether `bytes` are, as a whole, valid UTF-8.
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var validator = UTF8Validator()
        return validator.validate(bytes) && validator.isComplete
    }
}
