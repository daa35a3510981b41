extension PostgresSchema {
    /// The rows SQLite's migrations insert: the built-in roles and their permissions
    /// (migration 2), the ticket number counter (3), the account settings (6), the default
    /// SLA policy (9), the survey settings (19, 25) and the `reports` consumer's cursor at the
    /// head of the empty log (24). The roles keep their ids 1-3 (`RoleID.administrator` ...),
    /// so their identity restarts after them.
    static let seeds = """
        INSERT INTO roles (id, name, built_in) VALUES (1, 'Administrator', 1), (2, 'Supervisor', 1), (3, 'Agent', 1);
        ALTER TABLE roles ALTER COLUMN id RESTART WITH 4;
        INSERT INTO role_permissions (role_id, permission) VALUES
            (1, 'ticket.view'), (1, 'ticket.create'), (1, 'ticket.update'), (1, 'ticket.delete'),
            (1, 'ticket.assign'), (1, 'ticket.bulk'), (1, 'ticket.export'), (1, 'sla.manage'),
            (1, 'canned.manage'), (1, 'assignment.manage'), (1, 'workflow.manage'), (1, 'users.manage'),
            (1, 'roles.manage'), (1, 'reports.view'), (1, 'account.manage'), (1, 'audit.view'),
            (2, 'ticket.view'), (2, 'ticket.create'), (2, 'ticket.update'), (2, 'ticket.delete'),
            (2, 'ticket.assign'), (2, 'ticket.bulk'), (2, 'ticket.export'), (2, 'reports.view'),
            (2, 'sla.manage'), (2, 'canned.manage'), (2, 'assignment.manage'), (2, 'audit.view'),
            (3, 'ticket.view'), (3, 'ticket.create'), (3, 'ticket.update'), (3, 'ticket.assign'),
            (3, 'ticket.export');
        INSERT INTO counters (name, value) VALUES ('ticket_number', 0);
        INSERT INTO account_settings (id, name, updated_at) VALUES (1, 'Help Desk', 0);
        INSERT INTO sla_policies (name, fr_urgent, fr_high, fr_medium, fr_low, res_urgent, res_high, res_medium, res_low,
            start_minute, end_minute, weekdays, time_zone, warning_percent, is_default, created_at, updated_at)
            VALUES ('Standard', 60, 240, 480, 1440, 240, 1440, 2880, 5760, 540, 1020, 62, 'UTC', 25, 1, 0, 0);
        INSERT INTO survey_settings (id, enabled, expiry_days, question, updated_at)
            VALUES (1, 1, 7, 'How satisfied are you with the help you received?', 0);
        INSERT INTO event_cursors (consumer, position, updated_at) VALUES ('reports', 0, 0);
        """
}
