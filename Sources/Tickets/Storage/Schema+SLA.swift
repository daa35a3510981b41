extension Schema {
    /// SLA policies (targets per priority in minutes; weekdays as a bit set, bit 0 = Sunday;
    /// holidays as comma-separated `YYYY-MM-DD`) and one `sla_state` row per ticket holding
    /// its SLA clock. A partial unique index allows at most one default policy; the service
    /// keeps exactly one. `next_deadline_at` is what the scheduler loads at start-up;
    /// `generation` increments on every write so stale heap entries are recognised.
    /// A default 09:00-17:00 Monday-Friday UTC policy is seeded; tickets created before this
    /// migration have no SLA state (status `none`).
    static let sla = """
        CREATE TABLE sla_policies (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            fr_urgent INTEGER NOT NULL, fr_high INTEGER NOT NULL, fr_medium INTEGER NOT NULL, fr_low INTEGER NOT NULL,
            res_urgent INTEGER NOT NULL, res_high INTEGER NOT NULL, res_medium INTEGER NOT NULL, res_low INTEGER NOT NULL,
            nr_urgent INTEGER, nr_high INTEGER, nr_medium INTEGER, nr_low INTEGER,
            start_minute INTEGER NOT NULL,
            end_minute INTEGER NOT NULL,
            weekdays INTEGER NOT NULL,
            time_zone TEXT NOT NULL,
            holidays TEXT NOT NULL DEFAULT '',
            warning_percent INTEGER NOT NULL,
            is_default INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL);
        CREATE UNIQUE INDEX sla_policies_default ON sla_policies(is_default) WHERE is_default = 1;
        INSERT INTO sla_policies (name, fr_urgent, fr_high, fr_medium, fr_low, res_urgent, res_high, res_medium, res_low,
            start_minute, end_minute, weekdays, time_zone, warning_percent, is_default, created_at, updated_at)
            VALUES ('Standard', 60, 240, 480, 1440, 240, 1440, 2880, 5760, 540, 1020, 62, 'UTC', 25, 1, 0, 0);
        CREATE TABLE sla_state (
            ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
            policy_id INTEGER NOT NULL REFERENCES sla_policies(id),
            sla_status TEXT NOT NULL,
            next_deadline_at INTEGER,
            nearest_due_at INTEGER,
            generation INTEGER NOT NULL,
            fr_started_at INTEGER, fr_consumed_ms INTEGER NOT NULL DEFAULT 0, fr_running_since INTEGER,
            fr_met_at INTEGER, fr_warned_at INTEGER, fr_breached_at INTEGER,
            nr_started_at INTEGER, nr_consumed_ms INTEGER NOT NULL DEFAULT 0, nr_running_since INTEGER,
            nr_met_at INTEGER, nr_warned_at INTEGER, nr_breached_at INTEGER,
            res_started_at INTEGER, res_consumed_ms INTEGER NOT NULL DEFAULT 0, res_running_since INTEGER,
            res_met_at INTEGER, res_warned_at INTEGER, res_breached_at INTEGER);
        CREATE INDEX sla_state_status ON sla_state(sla_status, ticket_id);
        CREATE INDEX sla_state_policy ON sla_state(policy_id);
        CREATE INDEX sla_state_deadline ON sla_state(next_deadline_at) WHERE next_deadline_at IS NOT NULL;
        """
}
