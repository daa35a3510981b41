import Foundation

/// HTML character references (`&amp;`, `&#233;`, `&#x20AC;`) for turning HTML mail into text.
/// The named ones are those mail clients actually emit; an unknown name stays as written.
enum CharacterReference {
    private static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}", "copy": "©",
        "reg": "®", "trade": "™", "hellip": "…", "mdash": "—", "ndash": "–", "lsquo": "‘", "rsquo": "’",
        "ldquo": "“", "rdquo": "”", "laquo": "«", "raquo": "»", "bull": "•", "middot": "·", "euro": "€",
        "pound": "£", "yen": "¥", "cent": "¢", "sect": "§", "deg": "°", "times": "×", "divide": "÷",
        "eacute": "é", "egrave": "è", "ecirc": "ê", "aacute": "á", "agrave": "à", "acirc": "â",
        "auml": "ä", "ouml": "ö", "uuml": "ü", "Auml": "Ä", "Ouml": "Ö", "Uuml": "Ü", "szlig": "ß",
        "ccedil": "ç", "ntilde": "ñ", "oacute": "ó", "iacute": "í", "uacute": "ú", "zwnj": "", "zwj": "",
        "shy": "", "thinsp": " ", "ensp": " ", "emsp": " ",
    ]

    /// Decodes the reference starting with "&" at `index`; returns the text and the index after
    /// it, or nil when this "&" does not start a reference.
    static func decode(_ s: [Unicode.Scalar], at index: Int) -> (String, Int)? {
        var i = index + 1
        var name = ""
        while i < s.count, i - index <= 32, s[i] != ";", s[i].properties.isAlphabetic || s[i] == "#" || ("0"..."9").contains(s[i]) {
            name.unicodeScalars.append(s[i])
            i += 1
        }
        let next = i < s.count && s[i] == ";" ? i + 1 : i
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            guard let value else { return nil }
            // NUL, surrogates and out-of-range numbers become U+FFFD (HTML's rule).
            let scalar = value == 0 ? nil : Unicode.Scalar(value)
            return (String(scalar ?? "\u{FFFD}"), next)
        }
        guard let text = named[name] else { return nil }
        return (text, next)
    }

    /// `text` with every reference decoded.
    static func decodeAll(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = ""
        var i = 0
        while i < scalars.count {
            if scalars[i] == "&", let (decoded, next) = decode(scalars, at: i) {
                out += decoded
                i = next
            } else {
                out.unicodeScalars.append(scalars[i])
                i += 1
            }
        }
        return out
    }
}
