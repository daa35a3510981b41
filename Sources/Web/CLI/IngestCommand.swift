import Foundation
import Tickets

/// `helpdesk ingest --mailbox NAME`: takes one email from standard input, for a mail server
/// that delivers by pipe (e.g. a Postfix alias `"|helpdesk ingest --mailbox support --data /srv/hd"`).
/// Exit statuses follow sysexits.h so the mail server does the right thing: 0 taken (or a
/// duplicate), 65 unreadable (bounce it), 67 unknown mailbox, 75 temporary failure (retry).
enum IngestCommand {
    static let exDataErr: Int32 = 65, exNoUser: Int32 = 67, exTempFail: Int32 = 75
    /// The most read from standard input: the parser's own limit, plus one byte to notice more.
    static let maxInputBytes = 32 * 1024 * 1024

    static func run(_ options: inout Options) throws -> Int32 {
        let name = try options.require("--mailbox")
        let data = try options.take("--data") ?? "./data"
        let database = try options.takeDatabase()
        try options.finish()
        let input = FileHandle.standardInput.readData(ofLength: maxInputBytes + 1)
        guard input.count <= maxInputBytes else {
            CommandLineInterface.printError("helpdesk ingest: the email is larger than \(maxInputBytes) bytes")
            return exDataErr
        }
        let services: Services
        do { services = try Services(dataDirectory: data, database: database) } catch {
            CommandLineInterface.printError("helpdesk ingest: cannot open \(data): \(error)")
            return exTempFail
        }
        let mailbox: Mailbox
        do { mailbox = try Blocking.run { try await services.mailboxes.mailbox(named: name, for: .system) } } catch {
            CommandLineInterface.printError("helpdesk ingest: no mailbox called \(name)")
            return exNoUser
        }
        do {
            let result = try Blocking.run { try await MailIngestor(services: services).ingest(Array(input), mailbox: mailbox) }
            print(try Blocking.run { try await describe(result.value, services) })
            return 0
        } catch let error as MailIngestor.Unreadable {
            CommandLineInterface.printError("helpdesk ingest: the email cannot be read: \(error)")
            return exDataErr
        } catch let error as DomainError {
            CommandLineInterface.printError("helpdesk ingest: \(error)")
            return exDataErr
        } catch {
            CommandLineInterface.printError("helpdesk ingest: \(error)")
            return exTempFail
        }
    }

    /// One line for the log of the delivering mail server.
    static func describe(_ outcome: InboundOutcome, _ services: Services) async throws -> String {
        func reference(_ id: TicketID) async throws -> String { try await services.tickets.ticket(id, for: .system).reference }
        switch outcome {
        case .newTicket(let id): return "new ticket \(try await reference(id))"
        case .received(let id): return "kept as email \(id) for the workflows"
        case .reply(let id): return "reply on \(try await reference(id))"
        case .strangerNote(let id): return "note on \(try await reference(id)) (the sender is not the requester)"
        case .bounceNote(let id): return "delivery failure noted on \(try await reference(id))"
        case .bounceDropped: return "delivery report about no known ticket: dropped"
        case .duplicate: return "already taken: nothing changed"
        case .ownMessage: return "from one of our own mailboxes: not filed"
        case .senderCapped: return "the sender started \(TicketService.maxNewEmailTicketsPerSenderPerHour) tickets in the past hour: not filed"
        }
    }
}
