import Foundation
import Tickets

/// The one place in the Web layer where domain events leave a command: every ticket route
/// hands the `events` of its `CommandResult` to `publish`, and later work (live rooms,
/// notifications, SLA timers, workflows) adds a subscriber instead of touching handlers.
public final class TicketEventPublisher: Sendable {
    /// Receives the events of one command, in order, with who caused them, on the thread
    /// that ran the command.
    public typealias Subscriber = @Sendable ([TicketEvent], Actor) -> Void

    private let subscribers = LockedBox<[Subscriber]>([])

    public init() {}

    /// Adds `subscriber`; it receives every batch published from now on.
    public func subscribe(_ subscriber: @escaping Subscriber) {
        subscribers.update { $0.append(subscriber) }
    }

    /// Hands `events`, caused by `actor`, to every subscriber in subscription order.
    /// Empty batches are dropped.
    public func publish(_ events: [TicketEvent], by actor: Actor) {
        guard !events.isEmpty else { return }
        for subscriber in subscribers.get() { subscriber(events, actor) }
    }

    /// Publishes the result's events and returns its value, so a handler reads
    /// `let ticket = publisher.deliver(try await service.command(...), by: request.actor)`.
    func deliver<Value>(_ result: CommandResult<Value>, by actor: Actor) -> Value {
        publish(result.events, by: actor)
        return result.value
    }
}
