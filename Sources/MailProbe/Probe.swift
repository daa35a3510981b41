import Foundation
import Mail

struct ProbeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Command-line options: `--name value`, repeated ones collected in order.
struct Options {
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []

    init(_ arguments: [String], flags known: Set<String> = []) throws {
        var i = 0
        while i < arguments.count {
            let key = arguments[i]
            guard key.hasPrefix("--") else { throw ProbeError("unexpected argument \(key)") }
            if known.contains(key) { flags.insert(key); i += 1; continue }
            guard i + 1 < arguments.count else { throw ProbeError("\(key) needs a value") }
            values[key, default: []].append(arguments[i + 1])
            i += 2
        }
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }
    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func require(_ name: String) throws -> String {
        guard let v = value(name) else { throw ProbeError("\(name) is required") }
        return v
    }

    func endpoint() throws -> MailEndpoint {
        guard let port = Int(try require("--port")) else { throw ProbeError("--port must be a number") }
        guard let security = MailEndpoint.Security(rawValue: try require("--security")) else {
            throw ProbeError("--security must be tls, starttls or none")
        }
        return MailEndpoint(host: try require("--host"), port: port, security: security, verifyCertificate: !flag("--no-verify"),
                            caFile: value("--ca-file"), timeoutSeconds: Double(value("--timeout") ?? "") ?? 10)
    }

    func credentials() throws -> (String, String)? {
        guard let user = value("--user") else { return nil }
        let variable = try require("--password-env")
        guard let password = ProcessInfo.processInfo.environment[variable] else { throw ProbeError("$\(variable) is not set") }
        return (user, password)
    }
}

enum Probe {
    static let serverFlags: Set<String> = ["--no-verify"]

    static func emit(_ object: [String: Any]) {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    static func readStdin() -> [UInt8] { Array(FileHandle.standardInput.readDataToEndOfFile()) }

    static func parse(_ arguments: [String]) throws {
        let options = try Options(arguments, flags: ["--small"])
        let limits = options.flag("--small") ? MailLimits.small() : MailLimits()
        let message = try MailMessage.parse(readStdin(), limits: limits)
        emit(describe(message, ourAddresses: Set(options.all("--our-address"))))
    }

    static func describe(_ m: MailMessage, ourAddresses: Set<String> = []) -> [String: Any] {
        func addresses(_ list: [MailAddress]) -> [[String: Any]] { list.map { ["name": $0.name as Any, "address": $0.address] } }
        let split = QuotedHistory.split(m.text)
        var out: [String: Any] = [
            "ok": true, "subject": m.subject, "from": addresses(m.from), "to": addresses(m.to), "cc": addresses(m.cc),
            "reply_to": addresses(m.replyTo), "message_id": m.messageID as Any, "in_reply_to": m.inReplyTo,
            "references": m.references, "text": m.text, "reply_text": split.reply, "quoted_text": split.quoted,
            "html": m.html as Any, "text_truncated": m.textTruncated, "defects": m.defects,
            "date": m.date.map { ISO8601DateFormatter().string(from: $0) } as Any,
            "structure": m.structure.allParts.map(\.mimeType),
            "auto_reply_suppression": LoopGuard.autoReplySuppression(for: m, ourAddresses: ourAddresses).map { "\($0)" } as Any,
        ]
        out["attachments"] = m.attachments.map { a -> [String: Any] in
            ["filename": a.filename, "content_type": a.contentType, "size": a.size, "inline": a.isInline,
             "content_id": a.contentID as Any, "omitted": a.isOmitted,
             "data_b64": a.data.map { Data($0).base64EncodedString() } as Any]
        }
        if let report = m.deliveryReport {
            out["delivery_report"] = [
                "original_message_id": report.originalMessageID as Any,
                "recipients": report.recipients.map { ["address": $0.address, "action": $0.action, "status": $0.status,
                                                       "permanent": $0.isPermanentFailure] },
            ]
        }
        return out
    }

    static func build(_ arguments: [String]) throws {
        let o = try Options(arguments, flags: ["--auto-replied"])
        let fromText = try o.require("--from")
        var mail = OutgoingMail(
            from: MailAddress.parseList(fromText).first ?? MailAddress(address: fromText),
            to: o.all("--to").flatMap { MailAddress.parseList($0) }, subject: o.value("--subject") ?? "",
            text: o.value("--text") ?? "", messageID: o.value("--message-id") ?? MessageBuilder.newMessageID(domain: "probe.invalid"),
            date: Date())
        mail.cc = o.all("--cc").flatMap { MailAddress.parseList($0) }
        mail.html = o.value("--html")
        mail.inReplyTo = o.value("--in-reply-to")
        mail.references = o.value("--references").map { $0.split(separator: " ").map(String.init) } ?? []
        if o.flag("--auto-replied") { mail.autoSubmitted = .autoReplied }
        for spec in o.all("--attach") {
            let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
            let url = URL(fileURLWithPath: parts[0])
            let data = try Data(contentsOf: url)
            mail.attachments.append(OutgoingAttachment(filename: url.lastPathComponent,
                                                       contentType: parts.count > 1 ? parts[1] : "application/octet-stream",
                                                       data: Array(data)))
        }
        FileHandle.standardOutput.write(Data(try MessageBuilder().build(mail)))
    }

    static func smtpSend(_ arguments: [String]) throws {
        let o = try Options(arguments, flags: serverFlags)
        let client = SMTPClient(endpoint: try o.endpoint(), clientName: "probe.localhost")
        let tls = try client.connect()
        if let (user, password) = try o.credentials() { try client.authenticate(username: user, password: password) }
        let result = try client.send(envelopeFrom: try o.require("--from"), recipients: o.all("--to"), message: readStdin())
        client.quit()
        emit(["ok": true, "tls": tls as Any, "accepted": result.accepted, "reply": result.serverReply.description,
              "refused": result.refused.map { ["recipient": $0.recipient, "code": $0.reply.code] }])
    }

    static func watcherConfiguration(_ o: Options) throws -> IMAPInboxWatcher.Configuration {
        guard let (user, password) = try o.credentials() else { throw ProbeError("--user is required") }
        var configuration = IMAPInboxWatcher.Configuration(endpoint: try o.endpoint(), username: user, password: password)
        configuration.folder = o.value("--folder") ?? "INBOX"
        if let target = o.value("--move-to") { configuration.disposal = .moveTo(target) }
        if let poll = o.value("--poll-seconds").flatMap(Double.init) { configuration.pollIntervalSeconds = poll }
        return configuration
    }

    static func cursor(_ o: Options) -> IMAPInboxWatcher.Cursor? {
        guard let spec = o.value("--after") else { return nil }
        let parts = spec.split(separator: ":").compactMap { UInt32($0) }
        return parts.count == 2 ? IMAPInboxWatcher.Cursor(uidValidity: parts[0], lastUID: parts[1]) : nil
    }

    static func emitIncoming(_ incoming: IMAPInboxWatcher.Incoming) {
        var out: [String: Any] = ["uid_validity": incoming.cursor.uidValidity, "uid": incoming.cursor.lastUID, "size": incoming.size]
        if let raw = incoming.raw {
            do { out["message"] = describe(try MailMessage.parse(raw)) } catch { out["parse_error"] = "\(error)" }
        } else {
            out["too_large"] = true
        }
        emit(out)
    }

    static func imapTake(_ arguments: [String]) throws {
        let o = try Options(arguments, flags: serverFlags)
        let watcher = IMAPInboxWatcher(configuration: try watcherConfiguration(o), cursor: cursor(o)) { emitIncoming($0) }
        let count = try watcher.runOnce()
        let c = watcher.currentCursor
        emit(["ok": true, "taken": count, "cursor": c.map { "\($0.uidValidity):\($0.lastUID)" } as Any])
    }

    static func imapWatch(_ arguments: [String]) throws {
        let o = try Options(arguments, flags: serverFlags)
        let wanted = Int(try o.require("--count")) ?? 1
        let done = DispatchSemaphore(value: 0)
        let counter = Counter()
        let watcher = IMAPInboxWatcher(configuration: try watcherConfiguration(o), cursor: cursor(o), deliver: { incoming in
            emitIncoming(incoming)
            if counter.increment() == wanted { done.signal() }
        }, onEvent: { event in
            if case .connected(let tls, let idle) = event { emit(["event": "connected", "tls": tls as Any, "idle": idle]) }
            if case .failed(let error, let retry) = event { emit(["event": "failed", "error": error.description, "retry": retry]) }
        })
        watcher.start()
        let timeout = Double(o.value("--timeout-total") ?? "") ?? 60
        let got = done.wait(timeout: .now() + timeout) == .success
        let stopped = watcher.stop()
        emit(["ok": got, "stopped": stopped, "taken": counter.value])
        if !got { exit(1) }
    }

    static func checkSMTP(_ arguments: [String]) throws {
        let o = try Options(arguments, flags: serverFlags)
        let client = SMTPClient(endpoint: try o.endpoint(), clientName: "probe.localhost")
        let tls = try client.connect()
        if let (user, password) = try o.credentials() { try client.authenticate(username: user, password: password) }
        client.quit()
        emit(["ok": true, "tls": tls as Any, "extensions": client.extensions.keys.sorted()])
    }

    static func checkIMAP(_ arguments: [String]) throws {
        let o = try Options(arguments, flags: serverFlags)
        let client = IMAPClient(endpoint: try o.endpoint())
        let tls = try client.connect()
        if let (user, password) = try o.credentials() { try client.login(username: user, password: password) }
        let status = try client.select(o.value("--folder") ?? "INBOX")
        client.logout()
        emit(["ok": true, "tls": tls as Any, "uid_validity": status.uidValidity, "exists": status.exists, "idle": client.supportsIdle])
    }
}

extension Probe {
    /// Parser throughput over a corpus: every file parsed `--rounds` times, after one warm-up round.
    static func benchParse(_ arguments: [String]) throws {
        let rounds = Int(arguments.count > 1 && arguments[0] == "--rounds" ? arguments[1] : "") ?? 100
        let files = arguments.first == "--rounds" ? Array(arguments.dropFirst(2)) : arguments
        let corpus = try files.map { Array(try Data(contentsOf: URL(fileURLWithPath: $0))) }
        let total = corpus.reduce(0) { $0 + $1.count }
        for raw in corpus { _ = try? MailMessage.parse(raw) }
        let clock = ContinuousClock()
        var parsed = 0
        let elapsed = clock.measure {
            for _ in 0..<rounds {
                for raw in corpus where (try? MailMessage.parse(raw)) != nil { parsed += 1 }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        emit(["ok": true, "files": corpus.count, "bytes_per_round": total, "rounds": rounds, "parsed": parsed,
              "seconds": seconds, "mb_per_second": Double(total * rounds) / seconds / 1_000_000,
              "messages_per_second": Double(corpus.count * rounds) / seconds])
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() -> Int { lock.withLock { count += 1; return count } }
}
