extension Schema {
    /// Migration 25: the customer channel's remaining pieces.
    ///
    /// - `ticket_ccs`: the contacts copied on a ticket (besides its requester). Public replies
    ///   are emailed to them too, and their emails count as the ticket's people, not strangers.
    /// - `survey_settings.delay_minutes`: how long after a resolution the survey email leaves
    ///   (the survey itself exists at once and is reachable from the portal).
    /// - `mail_outbox.survey_id`: the survey an outbox row carries, so the sender can skip the
    ///   email when the survey was answered or cancelled (ticket reopened) before it was due.
    static let channel = """
        CREATE TABLE ticket_ccs (
            ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            added_at INTEGER NOT NULL,
            PRIMARY KEY (ticket_id, contact_id)) WITHOUT ROWID;
        CREATE INDEX ticket_ccs_contact ON ticket_ccs(contact_id);
        ALTER TABLE survey_settings ADD COLUMN delay_minutes INTEGER NOT NULL DEFAULT 60;
        ALTER TABLE mail_outbox ADD COLUMN survey_id INTEGER;
        """
}
