extension Schema {
    /// Migration 24: the report roll-ups (`ReportRollup`). `report_facts` holds per ticket the
    /// values the report figures depend on, as last applied; `report_daily` the counts and
    /// millisecond sums per UTC day, measure and key. Both are filled here from the existing
    /// tickets and SLA clocks, and the `reports` consumer's cursor is put at the log's head,
    /// so the consumer continues from exactly this state. On the benchmark's million tickets
    /// the fill takes some seconds at the first start.
    static let reportRollup = """
        CREATE TABLE report_facts (
            ticket_id INTEGER PRIMARY KEY,
            created_at INTEGER NOT NULL,
            resolved_at INTEGER,
            merged INTEGER NOT NULL,
            status TEXT NOT NULL,
            priority TEXT NOT NULL,
            category TEXT NOT NULL,
            channel TEXT NOT NULL,
            assignee_id INTEGER,
            first_response_at INTEGER,
            fr_decided INTEGER NOT NULL,
            fr_met INTEGER NOT NULL,
            fr_time INTEGER,
            res_decided INTEGER NOT NULL,
            res_met INTEGER NOT NULL,
            res_time INTEGER);
        CREATE TABLE report_daily (
            day INTEGER NOT NULL,
            measure TEXT NOT NULL,
            key TEXT NOT NULL,
            n INTEGER NOT NULL,
            total INTEGER NOT NULL,
            PRIMARY KEY (day, measure, key)) WITHOUT ROWID;
        \(ReportRollup.fillSQL)
        """
}
