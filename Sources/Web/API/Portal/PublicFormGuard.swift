import Foundation
import Realtime
import Tickets

/// The spam checks of every public form (portal reply, survey), run before anything is
/// stored: the honeypot, then the proof-of-work captcha.
enum PublicFormGuard {
    /// A field people never see (off-screen, not focusable, hidden from assistive technology)
    /// that form-filling bots fill in.
    static let honeypotField = "website"
    static let challengeField = "captchaChallenge"
    static let nonceField = "captchaNonce"
    static let fields: Set<String> = [honeypotField, challengeField, nonceField]

    /// What the form may do next.
    enum Verdict {
        /// A person: go on and store.
        case pass
        /// The honeypot was filled: answer as if accepted, store nothing ("fail quietly").
        case quietlyDrop
    }

    /// Checks `fields`. Throws 422 naming `captcha` for a missing, malformed, unknown, used,
    /// expired or wrong solution (the challenge is consumed by any attempt).
    static func check(_ fields: [String: String], captcha: ProofOfWork) throws -> Verdict {
        if let trap = fields[honeypotField], !trap.isEmpty {
            // A solution sent along is spent too: a bot cannot learn from the quiet answer
            // and then reuse its solved challenge without the honeypot.
            if let challenge = fields[challengeField], let nonce = fields[nonceField] {
                try? captcha.redeem(challenge: challenge, nonce: nonce)
            }
            return .quietlyDrop
        }
        guard let challenge = fields[challengeField], let nonce = fields[nonceField] else {
            throw ProblemError.unprocessable("Solve the spam check (captchaChallenge and captchaNonce).", field: "captcha")
        }
        do {
            try captcha.redeem(challenge: challenge, nonce: nonce)
        } catch {
            throw ProblemError.unprocessable("The spam check failed or expired. Please send again.", field: "captcha")
        }
        return .pass
    }

    /// The answer to a quietly dropped submission: `202` and nothing more, so a bot sees no
    /// refusal to learn from.
    static var quietAnswer: HTTPResponse {
        .json(Array(#"{"received":true}"#.utf8), status: .accepted)
    }
}
