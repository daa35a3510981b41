import Testing
@testable import Mail

@Suite struct QuotedHistoryTests {
    @Test("Gmail's wrapped 'On ... wrote:' line starts the quoted history")
    func gmailAttribution() {
        let text = "Thanks!\n\nOn Mon, Nov 23, 2026 at 10:00 AM Support Team <support@desk.test>\nwrote:\n> old"
        let split = QuotedHistory.split(text)
        #expect(split.reply == "Thanks!")
        #expect(split.quoted.hasPrefix("On Mon"))
    }

    @Test("Outlook's separator with From/Sent, a signature, and 'Sent from my' each start the folded part")
    func outlookAndSignatures() {
        #expect(QuotedHistory.split("Fine.\n________________________________\nFrom: Support\nSent: Monday\n").reply == "Fine.")
        #expect(QuotedHistory.split("Fine.\n-----Original Message-----\nFrom: x").reply == "Fine.")
        #expect(QuotedHistory.split("Fine.\n-- \nJane, ACME").reply == "Fine.")
        #expect(QuotedHistory.split("Fine.\n\nSent from my iPhone").reply == "Fine.")
        #expect(QuotedHistory.split("Ja.\n\nAm 23.11.2026 um 10:00 schrieb Support <s@d.test>:\n> alt").reply == "Ja.")
    }

    @Test("interleaved quoting is not folded; a message that is only a quote stays whole")
    func notFolded() {
        let interleaved = "> question one\nanswer one\n> question two\nanswer two"
        #expect(QuotedHistory.split(interleaved) == (interleaved, "") || QuotedHistory.split(interleaved).reply == interleaved)
        #expect(QuotedHistory.split("> only a quote").reply == "> only a quote")
        #expect(QuotedHistory.split("no history at all").quoted == "")
    }
}
