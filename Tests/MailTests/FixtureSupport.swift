import Foundation
@testable import Mail

/// Loads `Fixtures/NAME` (real-world-shaped messages, each named after its edge case).
func fixture(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent(name)
    return Array(try Data(contentsOf: url))
}

/// Parses a fixture with default limits.
func parsedFixture(_ name: String) throws -> MailMessage { try MailMessage.parse(fixture(name)) }

/// Bytes of a message written with "\n" line breaks, sent with CRLF.
func crlf(_ text: String) -> [UInt8] { Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8) }
