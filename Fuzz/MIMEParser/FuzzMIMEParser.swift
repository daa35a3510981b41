import Mail

/// libFuzzer entry: parses the input as a whole message with small limits, and the text
/// helpers on it, checking the parser's contract: only `MailParseError` is thrown, kept
/// attachments respect the per-file limit, the body text respects its limit (plus the note),
/// and nothing traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMIMEParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let limits = MailLimits.small(bytes: 8192)
    do {
        let message = try MailMessage.parse(bytes, limits: limits)
        for attachment in message.attachments {
            if let data = attachment.data { precondition(data.count <= limits.maxAttachmentBytes, "attachment over the limit") }
        }
        precondition(message.text.utf8.count <= limits.maxBodyTextBytes + 200, "text over the limit")
        _ = QuotedHistory.split(message.text)
        _ = LoopGuard.autoReplySuppression(for: message, ourAddresses: ["a@b.c"])
    } catch is MailParseError {
        // Refusals are fine; anything else would be a contract break (caught below by the type check).
    } catch {
        preconditionFailure("parser threw a foreign error: \(error)")
    }
    let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
    _ = HTMLText.readableText(text)
    _ = MailAddress.parseList(text)
    _ = MailDate.parse(text)
    _ = MessageIDs.parse(text)
    return 0
}
