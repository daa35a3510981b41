import Testing
@testable import Realtime

@Suite("permessage-deflate (RFC 7692)")
struct WebSocketDeflateTests {
    let deflate = NegotiatedDeflate()
    let hello: [UInt8] = [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]

    @Test("Hello compresses to the RFC 7692 section 7.2.3.1 bytes")
    func compressHello() {
        #expect(PerMessageDeflate.compress(Array("Hello".utf8)) == hello)
        #expect(PerMessageDeflate.compress([]) == [0x00])
    }

    @Test("A compressed Hello frame inflates, whole or byte by byte")
    func inflateHello() {
        #expect(feedEverywhere(clientFrame(.text, hello, rsv1: true), deflate: deflate) == [.deliverText("Hello")])
    }

    @Test("A compressed message split over frames inflates (RFC 7692 section 7.2.3.4)")
    func fragmentedCompressed() {
        let input = clientFrame(.text, [0xf2, 0x48, 0xcd], fin: false, rsv1: true)
            + clientFrame(.continuation, [0xc9, 0xc9, 0x07, 0x00])
        #expect(feedEverywhere(input, deflate: deflate) == [.deliverText("Hello")])
    }

    @Test("Context takeover: a second Hello referring to the first inflates (RFC 7692 section 7.2.3.2)")
    func contextTakeover() {
        let input = clientFrame(.text, hello, rsv1: true) + clientFrame(.text, [0xf2, 0x00, 0x11, 0x00, 0x00], rsv1: true)
        #expect(feedEverywhere(input, deflate: deflate) == [.deliverText("Hello"), .deliverText("Hello")])
    }

    @Test("Stored blocks and final blocks inflate (RFC 7692 sections 7.2.3.3 and 7.2.3.5)")
    func storedAndFinal() {
        let stored: [UInt8] = [0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00]
        let final: [UInt8] = [0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]
        let input = clientFrame(.text, stored, rsv1: true) + clientFrame(.text, final, rsv1: true) + clientFrame(.text, hello, rsv1: true)
        #expect(feedEverywhere(input, deflate: deflate) == [.deliverText("Hello"), .deliverText("Hello"), .deliverText("Hello")])
    }

    @Test("RSV1 on a continuation or control frame closes with 1002 even when negotiated")
    func rsv1Misplaced() {
        let continuation = clientFrame(.text, [0xf2], fin: false, rsv1: true) + clientFrame(.continuation, [0x00], rsv1: true)
        #expect(feedEverywhere(continuation, deflate: deflate) == failure(.reservedBitsSet))
        #expect(feedEverywhere(clientFrame(.ping, [], rsv1: true), deflate: deflate) == failure(.reservedBitsSet))
    }

    @Test("A zip bomb fails with 1009 while inflating")
    func zipBomb() {
        let bomb = PerMessageDeflate.compress([UInt8](repeating: 0, count: 1 << 20))
        #expect(bomb.count < 2048)
        let config = WebSocketConfiguration(maxMessageBytes: 64 * 1024)
        #expect(feedEverywhere(clientFrame(.binary, bomb, rsv1: true), deflate: deflate, configuration: config) == failure(.messageTooBig))
    }

    @Test("Garbage compressed data closes with 1007")
    func garbage() {
        #expect(feedEverywhere(clientFrame(.binary, [0xFF, 0xFF, 0xFF], rsv1: true), deflate: deflate) == failure(.invalidCompressedData))
    }

    @Test("Outbound messages round-trip through our own inflater at every window size")
    func roundTrip() {
        let text = String(repeating: "{\"ticket\":42,\"status\":\"open\"} ", count: 200)
        for bits in 8...15 {
            let negotiated = NegotiatedDeflate(clientNoContextTakeover: true, clientMaxWindowBits: bits, serverMaxWindowBits: bits)
            let frame = WebSocketProtocol(deflate: negotiated).encodeText(text)
            #expect(frame[0] == 0xC1)
            // An 8-bit window is served with run-length matches only: correct, but barely smaller.
            if bits > 8 { #expect(frame.count < text.utf8.count / 4) }
            // Re-mask the server frame as if a client had sent it, and decode it.
            let headerBytes = frame[1] < 126 ? 2 : (frame[1] == 126 ? 4 : 10)
            let payload = Array(frame[headerBytes...])
            #expect(feed(clientFrame(.text, payload, rsv1: true) + clientFrame(.text, payload, rsv1: true), deflate: negotiated)
                == [.deliverText(text), .deliverText(text)])
        }
    }

    @Test("Short outbound messages are sent uncompressed")
    func shortUncompressed() {
        #expect(WebSocketProtocol(deflate: deflate).encodeText("hi") == [0x81, 0x02, 0x68, 0x69])
    }
}

@Suite("permessage-deflate negotiation (RFC 7692 section 5 and 7)")
struct WebSocketDeflateNegotiationTests {
    @Test("A bare offer is accepted with server_no_context_takeover")
    func bareOffer() {
        let result = PerMessageDeflate.negotiate(offers: ["permessage-deflate"])
        #expect(result == NegotiatedDeflate(responseHeaderValue: "permessage-deflate; server_no_context_takeover"))
    }

    @Test("Client parameters are honoured and echoed")
    func clientParameters() {
        let result = PerMessageDeflate.negotiate(offers: ["permessage-deflate; client_no_context_takeover; client_max_window_bits=10; server_max_window_bits=\"12\""])
        #expect(result == NegotiatedDeflate(
            clientNoContextTakeover: true, clientMaxWindowBits: 10, serverMaxWindowBits: 12,
            responseHeaderValue: "permessage-deflate; server_no_context_takeover; client_no_context_takeover; client_max_window_bits=10; server_max_window_bits=12"))
    }

    @Test("client_max_window_bits without a value leaves the client window at 15 and is not answered")
    func clientWindowWithoutValue() {
        let result = PerMessageDeflate.negotiate(offers: ["permessage-deflate; client_max_window_bits"])
        #expect(result?.clientMaxWindowBits == 15)
        #expect(result?.responseHeaderValue == "permessage-deflate; server_no_context_takeover")
    }

    @Test("Bad offers are skipped and the first acceptable one, across headers, wins")
    func severalOffers() {
        let result = PerMessageDeflate.negotiate(offers: [
            "x-webkit-deflate-frame, permessage-deflate; unknown_param",
            "permessage-deflate; server_max_window_bits=7, permessage-deflate; server_max_window_bits=08",
            "permessage-deflate; client_no_context_takeover; client_no_context_takeover",
            "permessage-deflate; server_max_window_bits, permessage-deflate; server_max_window_bits=9, permessage-deflate",
        ])
        #expect(result?.serverMaxWindowBits == 9)
    }

    @Test("Values on flag parameters and unterminated quotes reject the offer")
    func malformed() {
        #expect(PerMessageDeflate.negotiate(offers: ["permessage-deflate; server_no_context_takeover=1"]) == nil)
        #expect(PerMessageDeflate.negotiate(offers: ["permessage-deflate; client_max_window_bits=\"10"]) == nil)
        #expect(PerMessageDeflate.negotiate(offers: []) == nil)
    }
}
