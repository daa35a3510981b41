import Realtime
import Tickets
import Presence
/// The composition root. See docs/architecture.md.
public enum WebModule {}
