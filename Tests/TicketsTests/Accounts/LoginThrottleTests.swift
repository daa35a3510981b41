import Foundation
import Testing
@testable import Tickets

@Suite("LoginThrottle")
struct LoginThrottleTests {
    let start = Date(timeIntervalSince1970: 1_000_000)

    private func failures(_ count: Int, address: String = "1.1.1.1", every seconds: TimeInterval = 1) -> [LoginThrottle.Attempt] {
        (0..<count).map { LoginThrottle.Attempt(at: start.addingTimeInterval(Double($0) * seconds), address: address, failed: true) }
    }

    @Test("five failures of one account from one address make the next attempt there wait a second, then two, four ...")
    func growingDelay() {
        let throttle = LoginThrottle()
        var history = LoginThrottle.History()
        history.accountAttempts = failures(4, every: 20)
        history.addressAttempts = history.accountAttempts
        let last = start.addingTimeInterval(60)
        #expect(throttle.retryAt(history, address: "1.1.1.1", now: last) == nil)
        history.accountAttempts = failures(5, every: 20)
        history.addressAttempts = history.accountAttempts
        let fifth = start.addingTimeInterval(80)
        #expect(throttle.retryAt(history, address: "1.1.1.1", now: fifth) == fifth.addingTimeInterval(1))
        history.accountAttempts = failures(8, every: 20)
        history.addressAttempts = history.accountAttempts
        let eighth = start.addingTimeInterval(140)
        #expect(throttle.retryAt(history, address: "1.1.1.1", now: eighth) == eighth.addingTimeInterval(8))
    }

    @Test("the delay never exceeds the cap, however many failures")
    func cappedDelay() {
        let throttle = LoginThrottle()
        var history = LoginThrottle.History()
        history.accountAttempts = failures(60, every: 0.01)
        let last = history.accountAttempts.last!.at
        #expect(throttle.retryAt(history, address: "1.1.1.1", now: last) == last.addingTimeInterval(15 * 60))
    }

    @Test("an account's failures from one address do not delay the same account from another address")
    func otherAddressUnaffected() {
        let throttle = LoginThrottle()
        var history = LoginThrottle.History()
        history.accountAttempts = failures(6, every: 20)
        let now = start.addingTimeInterval(101)
        #expect(throttle.retryAt(history, address: "1.1.1.1", now: now) != nil)
        #expect(throttle.retryAt(history, address: "2.2.2.2", now: now) == nil)
    }

    @Test("twenty failures from many addresses delay the account, except from an address it signed in from")
    func distributedGuessing() {
        let throttle = LoginThrottle()
        var history = LoginThrottle.History()
        history.accountAttempts = (0..<20).map {
            LoginThrottle.Attempt(at: start.addingTimeInterval(Double($0) * 5), address: "10.0.0.\($0)", failed: true)
        }
        let now = start.addingTimeInterval(95)
        #expect(throttle.retryAt(history, address: "2.2.2.2", now: now) != nil)
        history.knownAddress = true
        #expect(throttle.retryAt(history, address: "2.2.2.2", now: now) == nil)
    }

    @Test("fifty failures from one address across accounts delay it, except for accounts known there")
    func addressStuffing() {
        let throttle = LoginThrottle()
        var history = LoginThrottle.History()
        history.addressAttempts = failures(50, every: 10)
        let now = start.addingTimeInterval(490)
        #expect(throttle.retryAt(history, address: "1.1.1.1", now: now) != nil)
        history.knownAddress = true
        #expect(throttle.retryAt(history, address: "1.1.1.1", now: now) == nil)
    }

    @Test("failures older than the window stop counting")
    func window() {
        let throttle = LoginThrottle()
        var history = LoginThrottle.History()
        history.accountAttempts = failures(10)
        #expect(throttle.retryAt(history, address: "1.1.1.1", now: start.addingTimeInterval(15 * 60 + 10)) == nil)
    }

    @Test("successful attempts count toward the per-minute rate of an address")
    func rate() {
        let throttle = LoginThrottle()
        var history = LoginThrottle.History()
        history.addressAttempts = (0..<60).map {
            LoginThrottle.Attempt(at: start.addingTimeInterval(Double($0) / 2), address: "1.1.1.1", failed: false)
        }
        let now = start.addingTimeInterval(30)
        #expect(throttle.retryAt(history, address: "1.1.1.1", now: now) == start.addingTimeInterval(60))
        #expect(throttle.retryAt(history, address: "1.1.1.1", now: start.addingTimeInterval(61)) == nil)
    }

    @Test("at an address where the account is known, its own attempts are rated, not the address's")
    func knownRate() {
        let throttle = LoginThrottle()
        var history = LoginThrottle.History()
        history.knownAddress = true
        history.addressAttempts = (0..<100).map {
            LoginThrottle.Attempt(at: start.addingTimeInterval(Double($0) / 4), address: "1.1.1.1", failed: false)
        }
        let now = start.addingTimeInterval(30)
        #expect(throttle.retryAt(history, address: "1.1.1.1", now: now) == nil)
        history.accountAttempts = (0..<120).map {
            LoginThrottle.Attempt(at: start.addingTimeInterval(Double($0) / 4), address: "1.1.1.1", failed: false)
        }
        #expect(throttle.retryAt(history, address: "1.1.1.1", now: now) == start.addingTimeInterval(60))
    }
}

@Suite("AccountService sign-in throttling")
struct SignInThrottlingTests {
    @Test("forty concurrent wrong guesses for one account from one address: exactly five are checked")
    func racedGuesses() async throws {
        let fixture = try Fixture()
        _ = try await fixture.agent("Ada")
        let outcomes = await withTaskGroup(of: DomainError.Code?.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    do {
                        _ = try await fixture.accounts.login(email: "ada@example.com", password: "wrong guess", ip: "6.6.6.6")
                        return nil
                    } catch let error as DomainError {
                        return error.code
                    } catch {
                        return nil
                    }
                }
            }
            var codes: [DomainError.Code?] = []
            for await code in group { codes.append(code) }
            return codes
        }
        #expect(outcomes.filter { $0 == .unauthenticated }.count == 5)
        #expect(outcomes.filter { $0 == .throttled }.count == 35)
    }

    @Test("an attacker's failures from one address do not keep the owner out at another")
    func ownerNotLockedOut() async throws {
        let fixture = try Fixture()
        _ = try await fixture.agent("Ada")
        for _ in 0..<5 {
            _ = await domainError(.unauthenticated) {
                _ = try await fixture.accounts.login(email: "ada@example.com", password: "wrong guess", ip: "6.6.6.6")
            }
        }
        #expect(await domainError(.throttled) {
            _ = try await fixture.accounts.login(email: "ada@example.com", password: "correct horse", ip: "6.6.6.6")
        } != nil)
        _ = try await fixture.accounts.login(email: "ada@example.com", password: "correct horse", ip: "7.7.7.7")
    }

    @Test("the delay passes with time, and a reset by an administrator clears it at once")
    func delayPasses() async throws {
        let fixture = try Fixture()
        let admin = try await fixture.agent("Admin")
        let ada = try await fixture.agent("Ada", role: .agent)
        for _ in 0..<6 {
            _ = await domainError(.unauthenticated) {
                _ = try await fixture.accounts.login(email: "ada@example.com", password: "wrong guess", ip: "1.1.1.1")
            }
        }
        let throttled = await domainError(.throttled) {
            _ = try await fixture.accounts.login(email: "ada@example.com", password: "correct horse", ip: "1.1.1.1")
        }
        // The sixth guess came while the first delay ran: refused, not counted.
        #expect(throttled?.retryAfterSeconds == 1)
        fixture.clock.advance(1)
        _ = try await fixture.accounts.login(email: "ada@example.com", password: "correct horse", ip: "1.1.1.1")
        for _ in 0..<6 {
            _ = await domainError(.unauthenticated) {
                _ = try await fixture.accounts.login(email: "ada@example.com", password: "wrong guess", ip: "1.1.1.1")
            }
        }
        try await fixture.accounts.setPassword(ada.agentID!, to: "a brand new passphrase", by: admin)
        _ = try await fixture.accounts.login(email: "ada@example.com", password: "a brand new passphrase", ip: "1.1.1.1")
    }

    @Test("a sign-in with an email longer than an address can be is refused before anything is stored")
    func longEmail() async throws {
        let fixture = try Fixture()
        let email = String(repeating: "a", count: 10_000) + "@example.com"
        let error = await domainError(.validation) {
            _ = try await fixture.accounts.login(email: email, password: "whatever it is", ip: "1.1.1.1")
        }
        #expect(error?.field == "email")
        #expect(try await fixture.database.read { try $0.first("SELECT count(*) FROM login_attempts")!.int(0) } == 0)
    }

    @Test("a full hashing queue refuses a sign-in with throttled and does not count it as a failure")
    func hashingQueueFull() async throws {
        let fixture = try Fixture()
        var configuration = PasswordHashingExecutor.Configuration()
        configuration.threads = 1
        configuration.maxQueued = 0
        let hashing = PasswordHashingExecutor(configuration: configuration)
        let accounts = AccountService(database: fixture.database, now: fixture.clock.clock,
                                      hasher: PasswordHasher(iterations: 1_000), hashing: hashing)
        let gate = DispatchSemaphore(value: 0)
        let blocker = Task { try await hashing.run { gate.wait() } }
        while hashing.load == 0 { await Task.yield() }
        let error = await domainError(.throttled) {
            _ = try await accounts.login(email: "ada@example.com", password: "wrong guess", ip: "1.1.1.1")
        }
        #expect(error?.retryAfterSeconds ?? 0 >= 1)
        gate.signal()
        try await blocker.value
        #expect(try await fixture.database.read { try $0.first("SELECT count(*) FROM login_attempts")!.int(0) } == 0)
    }

    @Test("an unknown email is checked against a dummy hash of the same cost as a real one")
    func dummyHashCost() async throws {
        let fixture = try Fixture()
        #expect(fixture.accounts.dummyHash.hasPrefix("pbkdf2-sha256$1000$"))
        _ = await domainError(.unauthenticated) {
            _ = try await fixture.accounts.login(email: "nobody@example.com", password: "wrong guess", ip: "1.1.1.1")
        }
    }
}
