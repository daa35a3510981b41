import Realtime

/// libFuzzer entry: the first byte picks the set-up (deflate or not, context takeover,
/// client window, split point); the rest is client input. Checks that nothing traps,
/// that all input is consumed, that `closed` comes once and last, and that feeding the
/// input in two pieces gives exactly the actions of feeding it whole.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebSocketFrame(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let setup = data[0]
    let input = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    let deflate: NegotiatedDeflate? = setup & 1 == 0 ? nil : NegotiatedDeflate(
        clientNoContextTakeover: setup & 2 != 0, clientMaxWindowBits: 8 + Int(setup >> 2 & 7))
    // Small limits keep the fuzzer's memory bounded and reach the 1009 paths.
    let configuration = WebSocketConfiguration(maxFrameBytes: 1 << 16, maxMessageBytes: 1 << 18)

    let whole = run(input, split: input.count, deflate: deflate, configuration: configuration)
    let split = input.count == 0 ? 0 : Int(setup >> 5) * input.count / 8
    let pieces = run(input, split: split, deflate: deflate, configuration: configuration)
    precondition(whole == pieces, "splitting the input changed the actions")

    for (index, action) in whole.enumerated() {
        switch action {
        case .closed:
            precondition(index == whole.count - 1, "closed must be the last action")
        case .closeAfterFlush:
            precondition(index + 1 < whole.count, "closeAfterFlush must be followed by closed")
        case .deliverText(let text):
            precondition(text.utf8.count <= configuration.maxMessageBytes, "text over the limit")
        case .deliverBinary(let bytes):
            precondition(bytes.count <= configuration.maxMessageBytes, "binary over the limit")
        case .send(let bytes):
            precondition(bytes.count >= 2, "a frame has at least two header bytes")
        }
    }
    return 0
}

private func run(_ input: UnsafeRawBufferPointer, split: Int, deflate: NegotiatedDeflate?,
                 configuration: WebSocketConfiguration) -> [WebSocketAction] {
    var machine = WebSocketProtocol(configuration: configuration, deflate: deflate)
    var actions: [WebSocketAction] = []
    let first = UnsafeRawBufferPointer(rebasing: input[..<split])
    let second = UnsafeRawBufferPointer(rebasing: input[split...])
    precondition(machine.receive(first, into: &actions) == first.count, "input not consumed")
    precondition(machine.receive(second, into: &actions) == second.count, "input not consumed")
    return actions
}
