import Realtime
import Testing
@testable import Web

private func request(from address: String, _ fields: [(String, String)] = [], target: String = "/") -> HTTPRequest {
    HTTPRequest(head: HTTPRequestHead(method: .get, target: target, version: .http1_1, headers: HTTPHeaders(fields)),
                remoteAddress: address)
}

@Suite struct TrustedProxiesTests {
    @Test("addresses and CIDR blocks of both families parse; anything else names the bad entry")
    func parsing() throws {
        let proxies = try TrustedProxies(parsing: "127.0.0.1, 10.0.0.0/8,fd00::/8 ,::1")
        #expect(proxies.trusts("127.0.0.1") && proxies.trusts("10.200.3.4") && proxies.trusts("fd12::5") && proxies.trusts("::1"))
        #expect(!proxies.trusts("127.0.0.2") && !proxies.trusts("11.0.0.1") && !proxies.trusts("fe80::1"))
        #expect(proxies.trusts("::ffff:10.1.2.3"))
        #expect(throws: TrustedProxiesError.self) { try TrustedProxies(parsing: "10.0.0.0/33") }
        #expect(throws: TrustedProxiesError.self) { try TrustedProxies(parsing: "proxy.example") }
    }

    @Test("X-Forwarded-For is ignored from an address that is not a trusted proxy")
    func untrustedSender() throws {
        let proxies = try TrustedProxies(parsing: "10.0.0.1")
        #expect(proxies.clientAddress(of: request(from: "203.0.113.9", [("X-Forwarded-For", "1.2.3.4")])) == "203.0.113.9")
        #expect(TrustedProxies.none.clientAddress(of: request(from: "127.0.0.1", [("X-Forwarded-For", "1.2.3.4")])) == "127.0.0.1")
    }

    @Test("behind trusted proxies the client is the rightmost hop that is not one of them")
    func rightmostUntrusted() throws {
        let proxies = try TrustedProxies(parsing: "10.0.0.0/8")
        let chain = request(from: "10.0.0.1", [("X-Forwarded-For", "6.6.6.6, 198.51.100.7"), ("X-Forwarded-For", "10.0.0.2")])
        #expect(proxies.clientAddress(of: chain) == "198.51.100.7")
        #expect(proxies.clientAddress(of: request(from: "10.0.0.1")) == "10.0.0.1")
        let garbage = request(from: "10.0.0.1", [("X-Forwarded-For", "1.2.3.4, not-an-address")])
        #expect(proxies.clientAddress(of: garbage) == "10.0.0.1")
    }
}

@Suite struct OriginCheckTests {
    @Test("the live endpoint accepts only the page's own scheme, host and port")
    func sameOrigin() {
        #expect(LiveHub.isSameOrigin("http://help.example:8080", host: "help.example:8080", scheme: "http"))
        #expect(LiveHub.isSameOrigin("http://HELP.example", host: "help.example:80", scheme: "http"))
        #expect(LiveHub.isSameOrigin("https://help.example", host: "help.example", scheme: "https"))
        #expect(!LiveHub.isSameOrigin("https://help.example:8080", host: "help.example:8080", scheme: "http"))
        #expect(!LiveHub.isSameOrigin("http://help.example:8081", host: "help.example:8080", scheme: "http"))
        #expect(!LiveHub.isSameOrigin("http://help.example", host: "help.example:8080", scheme: "http"))
        #expect(!LiveHub.isSameOrigin("https://help.example", host: "help.example:80", scheme: "https"))
        #expect(!LiveHub.isSameOrigin("http://evil.example", host: "help.example", scheme: "http"))
        #expect(!LiveHub.isSameOrigin("null", host: "help.example", scheme: "http"))
        #expect(!LiveHub.isSameOrigin("http://help.example", host: nil, scheme: "http"))
        #expect(!LiveHub.isSameOrigin("ftp://help.example", host: "help.example", scheme: "ftp"))
    }

    @Test("the CSP names ws:// or wss:// of the Host, and nothing when Host is not a plain authority")
    func contentSecurityPolicy() {
        #expect(RequestOrigin.webSocketOrigin(of: request(from: "1.1.1.1", [("Host", "Help.example:8080")])) == "ws://help.example:8080")
        #expect(RequestOrigin.webSocketOrigin(of: request(from: "1.1.1.1", [("Host", "help.example"), ("X-Forwarded-Proto", "https")]))
                == "wss://help.example")
        #expect(RequestOrigin.webSocketOrigin(of: request(from: "1.1.1.1", [("Host", "x; script-src *")])) == nil)
        let csp = AppShellMiddleware.contentSecurityPolicy(webSocketOrigin: "ws://help.example")
        #expect(csp.contains("connect-src 'self' ws://help.example;") && !csp.contains("wss:"))
    }
}

@Suite struct InputLimitsTests {
    @Test("an escaped NUL in a JSON string is found; an escaped backslash before u0000 is text")
    func escapedNUL() throws {
        #expect(InputLimits.containsEscapedNUL(Array(#"{"a":"x\u0000y"}"#.utf8)))
        #expect(!InputLimits.containsEscapedNUL(Array(#"{"a":"x\\u0000y"}"#.utf8)))
        #expect(InputLimits.containsEscapedNUL(Array(#"{"a":"x\\\u0000y"}"#.utf8)))
        #expect(InputLimits.containsEscapedNUL(Array(#"{"a":"\u00001"}"#.utf8)))
        do {
            try InputLimits.refuseNUL(inJSON: Array(#"{"requester":{"name":"a\u0000"},"tags":["ok"]}"#.utf8))
            Issue.record("expected a refusal")
        } catch let error as ProblemError {
            #expect(error.field == "requester.name")
        }
    }

    @Test("a query parameter holding NUL is refused naming it")
    func query() {
        #expect(throws: ProblemError.self) { try InputLimits.refuseNUL(inQueryOf: request(from: "1.1.1.1", target: "/api/tickets?q=a%00b")) }
        #expect(throws: Never.self) { try InputLimits.refuseNUL(inQueryOf: request(from: "1.1.1.1", target: "/api/tickets?q=a%20b")) }
    }
}
