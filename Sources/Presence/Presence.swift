/// Presence: who is viewing and typing where. See docs/architecture.md.
public enum PresenceModule {}
