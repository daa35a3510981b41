import Foundation
import Mail

// mail-probe: the Mail module driven from the command line, for the mail integration tests
// and for an operator checking a mail server by hand. Passwords come from an environment
// variable named by --password-env, never from the command line (which `ps` shows).
//
//   mail-probe parse [--small] < message.eml           -> JSON
//   mail-probe build --from A --to B --subject S --text T [--html H] [--attach FILE:TYPE]...
//                    [--message-id ID] [--in-reply-to ID] [--references "ID ID"] [--auto-replied]  -> message on stdout
//   mail-probe smtp-send SERVER --from A --to B [--to C]... < message.eml  -> JSON
//   mail-probe imap-take SERVER [--folder F] [--move-to F] [--after VALIDITY:UID]   -> JSON lines
//   mail-probe imap-watch SERVER --count N [--folder F] [--poll-seconds S]            -> JSON lines
//   mail-probe check-smtp SERVER | check-imap SERVER [--folder F]                     -> JSON
//   mail-probe bench-parse --rounds N FILE...      parse every file N times      -> JSON with MB/s
// SERVER options: --host H --port P --security tls|starttls|none [--ca-file F] [--no-verify]
//                 [--timeout S] [--user U --password-env VAR]

var arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else {
    FileHandle.standardError.write(Data("usage: mail-probe parse|build|smtp-send|imap-take|imap-watch|check-smtp|check-imap ...\n".utf8))
    exit(2)
}
arguments.removeFirst()
do {
    switch command {
    case "parse": try Probe.parse(arguments)
    case "build": try Probe.build(arguments)
    case "smtp-send": try Probe.smtpSend(arguments)
    case "imap-take": try Probe.imapTake(arguments)
    case "imap-watch": try Probe.imapWatch(arguments)
    case "check-smtp": try Probe.checkSMTP(arguments)
    case "check-imap": try Probe.checkIMAP(arguments)
    case "bench-parse": try Probe.benchParse(arguments)
    default: throw ProbeError("unknown command \(command)")
    }
} catch let error as MailConnectionError {
    Probe.emit(["ok": false, "kind": error.kind.rawValue, "error": error.description, "permanent": error.isPermanent,
                "reply_code": error.replyCode as Any, "outcome_unknown": error.outcomeUnknown])
    exit(1)
} catch {
    Probe.emit(["ok": false, "error": "\(error)"])
    exit(1)
}
