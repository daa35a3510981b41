import Foundation

/// Word lists and a Zipf-like text generator, so full-text search sees a realistic mix of
/// very common words ("printer", "error"), mid-frequency ones and rare ones (error codes,
/// product names) that appear in a handful of documents.
struct TextGenerator {
    static let common = """
        the a to and is my i it not on in for with this of can we you please when after login password \
        account invoice billing payment card charge refund order error page app mobile website email \
        printer screen update install sync export import report dashboard settings user users admin team \
        issue problem help need urgent working broken slow crash fails failed again still since yesterday \
        today morning customer subscription plan upgrade downgrade cancel renew trial license key access \
        permission denied reset link expired code verification phone number address shipping delivery \
        tracking package missing damaged return exchange warehouse api integration webhook token timeout \
        server connection network wifi vpn browser chrome firefox safari windows mac linux android ios \
        file upload download attachment pdf csv spreadsheet data backup restore delete deleted duplicate \
        notification alert message chat call voicemail calendar meeting schedule booking appointment \
        thanks thank regards hello hi could would should there their they have has had been was were \
        but or if so also just any some more than then what which who how why where our your me us \
        done fixed resolved works tried restart reinstall cleared cache cookies logged out signed in
        """.split(separator: " ").map(String.init)
    static let syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "qu", "pra", "dex", "lin", "tor",
                            "vex", "mor", "zil", "fen", "gar", "hul"]

    /// `common` followed by 20,000 generated rarer words (product names, error codes).
    let vocabulary: [String]
    /// Cumulative Zipf weights over `vocabulary` (weight 1/(rank+1)^0.95).
    private let cumulative: [Double]

    init() {
        var words = Self.common
        var index = 0
        while words.count < Self.common.count + 20_000 {
            let s = Self.syllables
            let word = s[index % 20] + s[(index / 20) % 20] + s[(index / 400) % 20] + (index % 3 == 0 ? String(index % 97) : "")
            words.append(word)
            index += 1
        }
        vocabulary = words
        var total = 0.0
        cumulative = words.indices.map { rank in
            total += 1 / pow(Double(rank + 1), 0.95)
            return total
        }
    }

    /// One word drawn by Zipf rank.
    func word(_ random: inout some RandomNumberGenerator) -> String {
        let target = Double.random(in: 0..<cumulative[cumulative.count - 1], using: &random)
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] < target { low = mid + 1 } else { high = mid }
        }
        return vocabulary[low]
    }

    /// `count` words joined by spaces, the first capitalised.
    func sentence(_ count: Int, _ random: inout some RandomNumberGenerator) -> String {
        var text = ""
        text.reserveCapacity(count * 8)
        for index in 0..<count {
            if index > 0 { text += " " }
            text += word(&random)
        }
        return text.prefix(1).uppercased() + text.dropFirst()
    }
}
