extension Schema {
    /// Migration 17: covering indexes for the reports. Every report query reads its tickets by
    /// creation or by resolution time and needs only the columns listed, so a period is one
    /// index range scan with no table lookups (about 3x faster than `tickets_created` plus a
    /// row lookup per ticket on the 1M-ticket benchmark). `merged_into_id` comes second so the
    /// "not merged" test is answered from the index. Resolution is partial: unresolved tickets
    /// never enter it. Building both on 1M tickets takes a few seconds at the first start.
    static let reports = """
        CREATE INDEX tickets_report_created ON tickets(created_at, merged_into_id, status, priority, category, channel,
            first_response_at);
        CREATE INDEX tickets_report_resolved ON tickets(resolved_at, merged_into_id, created_at, assignee_id, channel)
            WHERE resolved_at IS NOT NULL;
        """
}
