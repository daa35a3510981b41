extension Schema {
    /// Migration 23: the status text of an external link (issue, task, incident), as the
    /// other system words it ("In progress", "Fixed in 2.3"), kept by hand or by an integration.
    static let linkStatusText = """
        ALTER TABLE ticket_links ADD COLUMN status_text TEXT;
        """
}
