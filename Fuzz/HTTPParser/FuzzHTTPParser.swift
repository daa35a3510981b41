import Realtime

/// libFuzzer entry: feeds the input to the request parser in two pieces (the split
/// point derived from the first byte) the way a connection would, and checks the
/// parser's contract: consumed never exceeds the input, body ranges lie inside it,
/// progress is made, and nothing traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let split = 1 + Int(bytes[0]) * (size - 1) / 255
    // Small limits so the fuzzer reaches them.
    var parser = HTTPRequestParser(limits: HTTPParserLimits(maxHeaderBytes: 512, maxHeaderCount: 8, maxBodyBytes: 1024))
    var buffer: [UInt8] = []
    for piece in [bytes[1..<split], bytes[split...]] {
        buffer += piece
        var rounds = 0
        while true {
            rounds += 1
            precondition(rounds <= buffer.count + 4 + 2 * size, "parser loops without progress")
            let step: (event: HTTPParserEvent?, consumed: Int)
            do {
                step = try buffer.withUnsafeBytes { try parser.next($0) }
            } catch {
                let status = (error as? HTTPParseError)?.status.code ?? 0
                precondition(status >= 400 && status < 600, "parser threw a foreign error")
                return 0
            }
            precondition(step.consumed >= 0 && step.consumed <= buffer.count, "consumed out of range")
            if case .body(let range)? = step.event {
                precondition(!range.isEmpty && range.lowerBound >= 0 && range.upperBound <= step.consumed, "body range outside input")
            }
            buffer.removeFirst(step.consumed)
            if step.event == nil { break }
        }
    }
    return 0
}
