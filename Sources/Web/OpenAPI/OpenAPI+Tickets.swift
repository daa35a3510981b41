extension OpenAPIDocument {
    /// Tickets, thread, attachments, contacts, lists, bulk changes, export and audit.
    static var tickets: Part {
        Part(paths: [:], schemas: [:])
    }
}
