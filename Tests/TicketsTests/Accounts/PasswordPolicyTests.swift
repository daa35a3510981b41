import Testing
@testable import Tickets

@Suite("PasswordPolicy")
struct PasswordPolicyTests {
    let policy = PasswordPolicy()

    private func refusal(_ password: String, email: String? = nil) -> String? {
        do {
            try policy.check(password, email: email)
            return nil
        } catch let error as DomainError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test("passwords shorter than twelve characters are refused")
    func minimumLength() {
        #expect(refusal("elevenchars")?.contains("12") == true)
        #expect(refusal("twelve chars") == nil)
    }

    @Test("passwords on the shipped list are refused in any case, also with digits and symbols appended")
    func commonPasswords() {
        #expect(PasswordPolicy.commonPasswords.count > 10_000)
        #expect(refusal("qwertyuiop123") != nil)
        #expect(refusal("1qaz2wsx3edc") != nil)
        #expect(refusal("Password2024!") != nil)
        #expect(refusal("SUNSHINE123456") != nil)
        #expect(refusal("correct horse battery staple") == nil)
    }

    @Test("the account's email name inside the password is refused")
    func email() {
        #expect(refusal("grace.hopper-rules!", email: "grace.hopper@example.com") != nil)
        #expect(refusal("rainy tuesday morning", email: "grace.hopper@example.com") == nil)
    }

    @Test("passwords of one or two repeated characters, over the maximum, or with NUL are refused")
    func degenerate() {
        #expect(refusal("aaaaaaaaaaaaaaaa") != nil)
        #expect(refusal("abababababababab") != nil)
        #expect(refusal(String(repeating: "long words ", count: 30)) != nil)
        #expect(refusal("twelve chars\0!") != nil)
    }
}

@Suite("TextLimit")
struct TextLimitTests {
    @Test("text over the maximum or containing NUL is a validation error naming the field")
    func limits() {
        #expect(throws: DomainError.self) { try TextLimit.check(String(repeating: "x", count: 201), field: "name", max: 200) }
        #expect(throws: DomainError.self) { try TextLimit.check("a\0b", field: "name", max: 200) }
        // Counted in characters, not bytes: 200 emoji fit a 200-character limit.
        #expect(throws: Never.self) { try TextLimit.check(String(repeating: "🙂", count: 200), field: "name", max: 200) }
        do {
            try TextLimit.check("a\0b", field: "requesterName", max: 200)
        } catch let error as DomainError {
            #expect(error.field == "requesterName")
        } catch {}
    }
}
