import Foundation
import Testing
@testable import Tickets

/// A 24/7 UTC policy (so business time is wall time): first response 60 min, resolution
/// 240 min, next response 30 min for every priority except Urgent (10/60/5); warn at 25 %.
func alwaysOpenPolicy(id: Int64 = 1, nextResponse: Bool = true) -> SLAPolicy {
    let hours = BusinessHours(start: TimeOfDay("00:00")!, end: TimeOfDay("00:00")!, weekdays: Set(Weekday.allCases))
    return SLAPolicy(
        id: SLAPolicyID(id), name: "24/7",
        firstResponse: PriorityTargets(urgent: 10, high: 60, medium: 60, low: 60),
        resolution: PriorityTargets(urgent: 60, high: 240, medium: 240, low: 240),
        nextResponse: nextResponse ? PriorityTargets(urgent: 5, high: 30, medium: 30, low: 30) : nil,
        hours: hours, timeZoneID: "UTC", holidays: [], warningPercent: 25, isDefault: true,
        createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0))
}

@Suite("SLAClock")
struct SLAClockTests {
    let policy = alwaysOpenPolicy()
    let start = Date(timeIntervalSince1970: 1_750_000_000)
    static let minute: TimeInterval = 60

    func at(_ minutes: Double) -> Date { start + minutes * Self.minute }

    @Test("the clock pauses while Pending and resumes on Open without counting the pause")
    func pausesAndResumes() {
        var clock = SLAClock(policy: policy, status: .open, priority: .medium, at: start)
        _ = clock.event(.statusChanged(.pending), at: at(20), policy: policy)
        #expect(clock.resolution.runningSince == nil)
        #expect(clock.status(at: at(500), policy: policy) == .paused)
        _ = clock.event(.statusChanged(.open), at: at(500), policy: policy)
        let summary = clock.summary(for: TicketID(1), at: at(510), policy: policy)
        #expect(summary.metrics.first { $0.metric == .resolution }?.consumedSeconds == 30 * 60)
        #expect(summary.metrics.first { $0.metric == .resolution }?.dueAt == at(500 + 220))
        #expect(clock.nextDeadline(policy: policy) == at(500 + 25))
    }

    @Test("a reopened ticket resumes its resolution clock with consumed time and does not breach instantly")
    func reopenKeepsConsumedTime() {
        var clock = SLAClock(policy: policy, status: .open, priority: .medium, at: start)
        _ = clock.event(.agentReplied, at: at(5), policy: policy)
        let resolved = clock.event(.statusChanged(.resolved), at: at(200), policy: policy)
        #expect(resolved == [.warning(.resolution, at: at(180)), .met(.resolution, at: at(200))])
        #expect(clock.status(at: at(5_000), policy: policy) == .met)
        let reopened = clock.event(.statusChanged(.open), at: at(5_000), policy: policy)
        #expect(reopened.isEmpty)
        #expect(clock.resolution.metAt == nil)
        #expect(clock.resolution.consumedMillis == 200 * 60 * 1_000)
        #expect(clock.status(at: at(5_000), policy: policy) == .breaching)
        #expect(clock.nextDeadline(policy: policy) == at(5_040))
    }

    @Test("only a public agent reply meets first response; a customer reply before it starts nothing")
    func firstResponseByAgentReply() {
        var clock = SLAClock(policy: policy, status: .open, priority: .high, at: start)
        #expect(clock.event(.customerReplied, at: at(1), policy: policy).isEmpty)
        #expect(clock.nextResponse.startedAt == nil)
        #expect(clock.event(.agentReplied, at: at(10), policy: policy) == [.met(.firstResponse, at: at(10))])
        let summary = clock.summary(for: TicketID(1), at: at(10), policy: policy)
        #expect(summary.metrics.first { $0.metric == .firstResponse }?.met == true)
    }

    @Test("first response breaches at its target, warns 25 % before, and a late reply is met but breached")
    func breachAndLateMeet() {
        var clock = SLAClock(policy: policy, status: .open, priority: .high, at: start)
        #expect(clock.nextDeadline(policy: policy) == at(45))
        #expect(clock.event(.tick, at: at(44), policy: policy).isEmpty)
        #expect(clock.event(.tick, at: at(45), policy: policy) == [.warning(.firstResponse, at: at(45))])
        #expect(clock.event(.tick, at: at(61), policy: policy) == [.breached(.firstResponse, at: at(60))])
        #expect(clock.status(at: at(61), policy: policy) == .breached)
        _ = clock.event(.agentReplied, at: at(70), policy: policy)
        let first = clock.summary(for: TicketID(1), at: at(70), policy: policy).metrics[0]
        #expect(first.breached && !first.met && first.metAt == at(70))
        #expect(clock.status(at: at(70), policy: policy) == .onTrack)
    }

    @Test("a priority change recomputes targets keeping consumed time; a target already exceeded breaches at the change")
    func priorityChangeKeepsConsumed() {
        var clock = SLAClock(policy: policy, status: .open, priority: .medium, at: start)
        _ = clock.event(.agentReplied, at: at(1), policy: policy)
        #expect(clock.event(.priorityChanged(.urgent), at: at(30), policy: policy).isEmpty)
        #expect(clock.resolution.consumedMillis == 30 * 60 * 1_000)
        #expect(clock.nextDeadline(policy: policy) == at(45))
        let actions = clock.event(.priorityChanged(.urgent), at: at(70), policy: policy)
        #expect(actions == [.breached(.resolution, at: at(60))])
        var late = SLAClock(policy: policy, status: .open, priority: .medium, at: start)
        _ = late.event(.agentReplied, at: at(1), policy: policy)
        #expect(late.event(.priorityChanged(.urgent), at: at(100), policy: policy) == [.breached(.resolution, at: at(100))])
    }

    @Test("next response starts at each customer message after the first response and is met by the next agent reply")
    func nextResponseCycles() {
        var clock = SLAClock(policy: policy, status: .open, priority: .medium, at: start)
        _ = clock.event(.agentReplied, at: at(5), policy: policy)
        _ = clock.event(.customerReplied, at: at(10), policy: policy)
        _ = clock.event(.customerReplied, at: at(20), policy: policy)
        #expect(clock.nextResponse.startedAt == at(10))
        #expect(clock.nextDeadline(policy: policy) == at(10 + 22.5))
        #expect(clock.event(.tick, at: at(41), policy: policy) == [.breached(.nextResponse, at: at(40))])
        #expect(clock.event(.agentReplied, at: at(42), policy: policy) == [.met(.nextResponse, at: at(42))])
        _ = clock.event(.customerReplied, at: at(50), policy: policy)
        #expect(clock.nextResponse.breachedAt == nil && clock.nextResponse.consumedMillis == 0)
        #expect(clock.event(.agentReplied, at: at(55), policy: policy) == [.met(.nextResponse, at: at(55))])
        let summary = clock.summary(for: TicketID(1), at: at(55), policy: policy)
        #expect(summary.metrics.first { $0.metric == .nextResponse }?.met == true)
    }

    @Test("a policy change keeps consumed time, folds the old calendar up to the change, and uses the new targets")
    func policyChange() {
        var clock = SLAClock(policy: policy, status: .open, priority: .medium, at: start)
        var stricter = alwaysOpenPolicy(id: 2, nextResponse: false)
        stricter.resolution = PriorityTargets(urgent: 60, high: 60, medium: 100, low: 100)
        _ = clock.event(.agentReplied, at: at(1), policy: policy)
        _ = clock.event(.policyChanged(stricter), at: at(50), policy: policy)
        #expect(clock.policyID == SLAPolicyID(2))
        #expect(clock.resolution.consumedMillis == 50 * 60 * 1_000)
        #expect(clock.nextDeadline(policy: stricter) == at(75))
    }

    @Test("On Hold pauses a metric inside its warning window and the status is paused, not breaching")
    func onHoldIsPaused() {
        var clock = SLAClock(policy: policy, status: .inProgress, priority: .high, at: start)
        _ = clock.event(.statusChanged(.onHold), at: at(50), policy: policy)
        #expect(clock.status(at: at(1_000), policy: policy) == .paused)
        #expect(clock.nextDeadline(policy: policy) == nil)
        _ = clock.event(.statusChanged(.inProgress), at: at(1_000), policy: policy)
        #expect(clock.nextDeadline(policy: policy) == at(1_010))
    }
}
