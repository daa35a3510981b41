import Realtime
import Tickets

/// Routes for tickets, their thread and attachments, contacts, lists, bulk changes, export and audit.
enum TicketsAPI {
    static func register(_ routes: APIRoutes) {}
}
