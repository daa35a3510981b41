import Testing
@testable import Mail

@Suite struct LoopGuardTests {
    private func message(_ headers: String, body: String = "hi") throws -> MailMessage {
        try MailMessage.parse(crlf(headers + "\n\n" + body))
    }
    private let ours: Set<String> = ["Support@Desk.Example.Test"]

    @Test("a person's mail may be answered automatically")
    func person() throws {
        #expect(LoopGuard.autoReplySuppression(for: try message("From: Ann <ann@customer.test>\nAuto-Submitted: no"), ourAddresses: ours) == nil)
    }

    @Test("RFC 3834 markers, list headers and Microsoft's suppression header each forbid an automatic answer")
    func markers() throws {
        let cases: [(String, AutoReplySuppression)] = [
            ("Auto-Submitted: auto-replied; owner=x", .autoSubmitted("auto-replied")),
            ("Auto-Submitted: Auto-Generated", .autoSubmitted("auto-generated")),
            ("Precedence: list", .precedence("list")),
            ("Precedence: JUNK", .precedence("junk")),
            ("List-Id: <x.y>", .mailingList),
            ("X-Auto-Response-Suppress: OOF, AutoReply", .autoResponseSuppressed),
            ("X-Autoreply: yes", .autoResponseSuppressed),
            ("Return-Path: <>", .deliveryReport),
        ]
        for (header, expected) in cases {
            #expect(LoopGuard.autoReplySuppression(for: try message("From: ann@customer.test\n" + header), ourAddresses: ours) == expected)
        }
    }

    @Test("system and no-reply senders, our own addresses (any case) and a missing sender are never answered")
    func senders() throws {
        let cases: [(String, AutoReplySuppression)] = [
            ("From: MAILER-DAEMON@mx.test", .systemSender("mailer-daemon@mx.test")),
            ("From: owner-list@lists.test", .systemSender("owner-list@lists.test")),
            ("From: list-request@lists.test", .systemSender("list-request@lists.test")),
            ("From: No-Reply <no-reply@shop.test>", .noReplySender("no-reply@shop.test")),
            ("From: do_not_reply@bank.test", .noReplySender("do_not_reply@bank.test")),
            ("From: support@desk.example.test", .ourOwnAddress("support@desk.example.test")),
            ("To: x@y.test", .noSender),
        ]
        for (header, expected) in cases {
            #expect(LoopGuard.autoReplySuppression(for: try message(header), ourAddresses: ours) == expected)
        }
    }

    @Test("automatic mail to a person may go; to our own, a system or a no-reply address never (the survey email's recipient)")
    func recipients() {
        #expect(LoopGuard.automaticMailRefusal(to: MailAddress(address: "ann@customer.test"), ourAddresses: ours) == nil)
        #expect(LoopGuard.automaticMailRefusal(to: MailAddress(address: "Support@Desk.example.test"), ourAddresses: ours)
                == .ourOwnAddress("support@desk.example.test"))
        #expect(LoopGuard.automaticMailRefusal(to: MailAddress(address: "postmaster@x.test"), ourAddresses: ours) == .systemSender("postmaster@x.test"))
        #expect(LoopGuard.automaticMailRefusal(to: MailAddress(address: "noreply@x.test"), ourAddresses: ours) == .noReplySender("noreply@x.test"))
    }

    @Test("the fixtures: an out-of-office, a newsletter and a bounce are all suppressed")
    func fixtures() throws {
        #expect(LoopGuard.autoReplySuppression(for: try parsedFixture("autoreply-out-of-office.eml"), ourAddresses: ours) == .autoSubmitted("auto-replied"))
        #expect(LoopGuard.autoReplySuppression(for: try parsedFixture("mailing-list.eml"), ourAddresses: ours) == .precedence("bulk"))
        #expect(LoopGuard.autoReplySuppression(for: try parsedFixture("bounce-delivery-status.eml"), ourAddresses: ours) != nil)
        #expect(!LoopGuard.isDeliveryReport(try parsedFixture("gmail-alternative-utf8.eml")))
    }

    @Test("the sliding window allows 10 automatic replies per sender in 3 hours, counted per sender case-insensitively")
    func window() {
        var limiter = SlidingWindowLimiter.autoReplies()
        var results: [Bool] = (0..<10).map { limiter.permit("Ann@X.test", now: Double($0)) }
        results.append(limiter.permit("ann@x.test", now: 100))
        results.append(limiter.permit("bob@x.test", now: 100))
        results.append(limiter.permit("ann@x.test", now: 3 * 3600 - 1))
        results.append(limiter.permit("ann@x.test", now: 3 * 3600 + 0.5))  // the first one left the window
        limiter.prune(now: 10 * 3600)
        results.append(limiter.permit("ann@x.test", now: 10 * 3600))
        #expect(results == Array(repeating: true, count: 10) + [false, true, false, true, true])
    }

    @Test("two help desks auto-replying to each other stop at the cap")
    func pingPong() {
        var deskA = SlidingWindowLimiter.autoReplies(), deskB = SlidingWindowLimiter.autoReplies()
        var sent = 0
        var now = 0.0
        while sent < 1_000 {
            now += 1
            let aMaySend = deskA.permit("b@desk-b.test", now: now)
            guard aMaySend else { break }
            sent += 1
            let bMaySend = deskB.permit("a@desk-a.test", now: now)
            guard bMaySend else { break }
            sent += 1
        }
        #expect(sent == 20)
    }
}
