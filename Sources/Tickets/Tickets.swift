/// The help desk domain and storage. See docs/architecture.md.
public enum TicketsModule {}
