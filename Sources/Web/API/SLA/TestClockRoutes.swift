import Foundation
import Realtime
import Tickets

/// FOR TESTS AND DEMOS ONLY: `POST /api/test/clock {advanceSeconds}` moves the server's
/// `TestClock` forward and answers `{now, offsetSeconds}`. Registered only when the server
/// runs with `--test-clock`; needs `sla.manage`. Documented with `x-only-with: --test-clock`.
enum TestClockRoutes {
    struct AdvanceBody: Decodable {
        let advanceSeconds: Double
    }

    struct ClockJSON: Encodable {
        let now: Date
        let offsetSeconds: Double
    }

    /// Registers the route over `clock`.
    static func register(_ routes: APIRoutes, clock: TestClock) {
        routes.api(.post, "/api/test/clock", permission: .slaManage) { request in
            let body = try request.decode(AdvanceBody.self)
            guard body.advanceSeconds > 0, body.advanceSeconds <= TestClock.maxAdvanceSeconds else {
                throw ProblemError.unprocessable("Advance by 0 to \(Int(TestClock.maxAdvanceSeconds)) seconds.",
                                                 field: "advanceSeconds")
            }
            clock.advance(by: body.advanceSeconds)
            return try JSONBody.response(ClockJSON(now: clock.now(), offsetSeconds: clock.offset))
        }
    }
}
