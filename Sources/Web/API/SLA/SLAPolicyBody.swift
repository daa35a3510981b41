import Foundation
import Realtime
import Tickets

/// The body of `POST /api/sla-policies` and `PATCH /api/sla-policies/:id`: every key of
/// `SLAPolicyJSON` but the id and times. For POST, `name`, `firstResponse` and `resolution`
/// are required and the rest take the domain defaults; for PATCH, absent keys keep their
/// value and `nextResponse: null` stops tracking next responses.
struct SLAPolicyBody: Decodable {
    let name: String?
    let firstResponse: PriorityTargetsJSON?
    let resolution: PriorityTargetsJSON?
    /// Absent: unchanged; `.some(nil)`: explicitly null.
    let nextResponse: PriorityTargetsJSON??
    let hours: BusinessHoursJSON?
    let timeZone: String?
    let holidays: [String]?
    let warningPercent: Int?
    let isDefault: Bool?

    private enum Keys: String, CodingKey {
        case name, firstResponse, resolution, nextResponse, hours, timeZone, holidays, warningPercent, isDefault
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        firstResponse = try c.decodeIfPresent(PriorityTargetsJSON.self, forKey: .firstResponse)
        resolution = try c.decodeIfPresent(PriorityTargetsJSON.self, forKey: .resolution)
        nextResponse = c.contains(.nextResponse)
            ? .some(try c.decodeIfPresent(PriorityTargetsJSON.self, forKey: .nextResponse)) : .none
        hours = try c.decodeIfPresent(BusinessHoursJSON.self, forKey: .hours)
        timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone)
        holidays = try c.decodeIfPresent([String].self, forKey: .holidays)
        warningPercent = try c.decodeIfPresent(Int.self, forKey: .warningPercent)
        isDefault = try c.decodeIfPresent(Bool.self, forKey: .isDefault)
    }

    /// The draft of a new policy. Throws a 422 naming the missing or malformed field (the
    /// domain then validates ranges, naming its own fields).
    func newDraft() throws -> SLAPolicyDraft {
        guard let name else { throw Self.invalid("name", "Enter a policy name.") }
        guard let firstResponse else { throw Self.invalid("firstResponse", "Give the first-response targets.") }
        guard let resolution else { throw Self.invalid("resolution", "Give the resolution targets.") }
        var draft = SLAPolicyDraft(name: name, firstResponse: firstResponse.targets, resolution: resolution.targets)
        try apply(to: &draft)
        return draft
    }

    /// `policy`'s fields with this body's keys applied. Throws a 422 naming a malformed field.
    func patched(_ policy: SLAPolicy) throws -> SLAPolicyDraft {
        var draft = SLAPolicyDraft(
            name: name ?? policy.name, firstResponse: firstResponse?.targets ?? policy.firstResponse,
            resolution: resolution?.targets ?? policy.resolution, nextResponse: policy.nextResponse, hours: policy.hours,
            timeZoneID: policy.timeZoneID, holidays: policy.holidays, warningPercent: policy.warningPercent,
            isDefault: policy.isDefault)
        try apply(to: &draft)
        return draft
    }

    /// Sets the optional keys that are present.
    private func apply(to draft: inout SLAPolicyDraft) throws {
        if let nextResponse { draft.nextResponse = nextResponse?.targets }
        if let hours { draft.hours = try hours.hours() }
        if let timeZone { draft.timeZoneID = timeZone }
        if let holidays {
            draft.holidays = try holidays.map { text in
                guard let date = LocalDate(iso: text) else { throw Self.invalid("holidays", "Use YYYY-MM-DD dates.") }
                return date
            }
        }
        if let warningPercent { draft.warningPercent = warningPercent }
        if let isDefault { draft.isDefault = isDefault }
    }

    /// A 422 naming `field`.
    static func invalid(_ field: String, _ message: String) -> ProblemError {
        ProblemError.unprocessable(message, field: field)
    }
}

/// `PUT /api/tickets/:id/sla-policy`.
struct AssignSLAPolicyBody: Decodable {
    let policyId: Int64
}
