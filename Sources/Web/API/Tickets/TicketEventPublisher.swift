import Foundation
import Tickets

/// The one place in the Web layer where domain events leave a command: every ticket route
/// hands the `events` of its `CommandResult` to `publish`, and later work (live rooms,
/// notifications, SLA timers, workflows) adds a subscriber instead of touching handlers.
public final class TicketEventPublisher: Sendable {
    /// Receives the events of one command, in order, on the thread that ran the command.
    public typealias Subscriber = @Sendable ([TicketEvent]) -> Void

    private let subscribers = LockedBox<[Subscriber]>([])

    public init() {}

    /// Adds `subscriber`; it receives every batch published from now on.
    public func subscribe(_ subscriber: @escaping Subscriber) {
        subscribers.update { $0.append(subscriber) }
    }

    /// Hands `events` to every subscriber in subscription order. Empty batches are dropped.
    public func publish(_ events: [TicketEvent]) {
        guard !events.isEmpty else { return }
        for subscriber in subscribers.get() { subscriber(events) }
    }

    /// Publishes the result's events and returns its value, so a handler reads
    /// `let ticket = publisher.deliver(try await service.command(...))`.
    func deliver<Value>(_ result: CommandResult<Value>) -> Value {
        publish(result.events)
        return result.value
    }
}
