import Testing
@testable import Web

@Suite struct MailSenderTests {
    @Test("retries come after 30 s, 2 min, 10 min, 30 min, 1 h, then every 2 h for about a day, then stop")
    func schedule() {
        #expect(RetrySchedule.delay(afterAttempt: 1) == 30)
        #expect(RetrySchedule.delay(afterAttempt: 5) == 3_600)
        #expect(RetrySchedule.delay(afterAttempt: 6) == 7_200)
        #expect(RetrySchedule.delays.reduce(0, +) >= 86_400 - 7_200 && RetrySchedule.delays.reduce(0, +) <= 86_400)
        #expect(RetrySchedule.delay(afterAttempt: RetrySchedule.delays.count + 1) == nil)
        #expect(RetrySchedule.delay(afterAttempt: 0) == nil)
    }

    @Test("the HTML alternative escapes the reply and keeps its paragraphs and line breaks")
    func html() {
        let html = MailSender.html("Hi <b>Ann</b> & \"you\"\nline two\n\nsecond paragraph")
        #expect(html.contains("<p>Hi &lt;b&gt;Ann&lt;/b&gt; &amp; &quot;you&quot;<br>line two</p>\n<p>second paragraph</p>"))
        #expect(!html.contains("<b>"))
    }

    @Test("both parts end with the portal link; the HTML part escapes it")
    func portalLink() {
        let link = "https://help.example.test/portal#abc&def"
        #expect(MailSender.text("Hello", portal: link) == "Hello\n\n-- \nView your request online: \(link)\n")
        #expect(MailSender.text("Hello", portal: nil) == "Hello")
        let html = MailSender.html("Hello", portal: link)
        #expect(html.hasSuffix("<p><a href=\"https://help.example.test/portal#abc&amp;def\">View your request online</a></p></body></html>"))
    }
}
