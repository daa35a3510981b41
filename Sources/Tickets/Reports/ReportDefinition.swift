/// The written definition of one report figure, served by the API and shown in the app
/// beside the figure. `id` is the stable key the report's JSON and CSV use.
public struct ReportDefinition: Sendable, Equatable, Codable {
    public let id: String
    public let name: String
    public let text: String

    /// Every figure the reports show, in section order. Each says which tickets a range
    /// counts, whether time is calendar or business time, and how merged and deleted tickets
    /// count; the rules below are what `ReportQueries` does.
    public static let all: [ReportDefinition] = [
        .init(id: "range", name: "Date range",
              text: "Ranges are whole local days in the account's time zone (the default SLA policy's time zone). Last 7, 30 and 90 days end now and include today; this month runs from the 1st to now; last month and custom ranges are whole calendar days. The previous period is the same span moved back by the range's length in local days (by one month for the month ranges)."),
        .init(id: "merged_deleted", name: "Merged and deleted tickets",
              text: "A ticket merged into another is a duplicate: it counts in no figure (its replies moved to the primary ticket, which counts). A deleted ticket is removed from the database and counts nowhere, in any range, from the moment it is deleted."),
        .init(id: "total_tickets", name: "Total tickets",
              text: "Tickets created in the range."),
        .init(id: "open_tickets", name: "Open tickets",
              text: "Of the tickets created in the range, those not Resolved or Closed now (Open, Pending, In Progress or On Hold)."),
        .init(id: "resolved_tickets", name: "Resolved tickets",
              text: "Tickets resolved in the range: the last time each became Resolved (or Closed without being Resolved first) falls in the range. A reopened ticket counts when it is resolved again, not before."),
        .init(id: "average_resolution", name: "Average resolution time",
              text: "Over the tickets resolved in the range: calendar time from creation to the last resolution, including nights, weekends and paused time (Pending, On Hold)."),
        .init(id: "first_response", name: "First response",
              text: "The first public reply by an agent. Internal notes, system messages and the requester's own messages are not responses."),
        .init(id: "average_first_response", name: "Average first response time",
              text: "Over the tickets created in the range that have a first response: calendar time from creation to the first response."),
        .init(id: "volume", name: "Ticket volume",
              text: "Tickets created and tickets resolved per day, week (Monday to Sunday) or month, in the account's time zone; a week or month cut by the range counts only its days inside the range."),
        .init(id: "distribution", name: "Distribution",
              text: "Tickets created in the range by their current status, priority and category."),
        .init(id: "agent_tickets_handled", name: "Tickets handled",
              text: "Tickets resolved in the range that are assigned to the agent now. Unassigned resolved tickets are listed as Unassigned."),
        .init(id: "agent_average_resolution", name: "Agent average resolution time",
              text: "Calendar time from creation to resolution over the agent's tickets handled in the range."),
        .init(id: "agent_csat", name: "Average CSAT",
              text: "The mean of the satisfaction ratings (1 to 5) answered in the range for resolutions the agent made (the agent who set the ticket to Resolved; a resolution by the system counts for the ticket's assignee then). An agent rated in the range but with no ticket handled in it is listed with zero tickets handled; ratings of resolutions no agent made are listed under Unassigned."),
        .init(id: "sla_first_response", name: "First response compliance",
              text: "Per current priority, of the tickets created in the range whose first-response target is decided (met, or breached), the percentage met without a breach. Business time under each ticket's SLA policy, paused while Pending or On Hold. Tickets without an SLA policy, and tickets still waiting within their target, are not counted."),
        .init(id: "sla_resolution", name: "Resolution compliance",
              text: "Per current priority, of the tickets created in the range whose resolution target is decided (resolved now, or breached), the percentage resolved without a breach. A breach stays counted when the ticket is later resolved or reopened."),
        .init(id: "sla_business_time", name: "Business-time averages",
              text: "Average first response and resolution in business time: the SLA clock's consumed time (business hours and holidays of the ticket's policy, pauses excluded) over the tickets with that target met."),
        .init(id: "csat_ratings", name: "CSAT ratings",
              text: "Satisfaction survey answers (1 to 5 stars) answered in the range, whatever range the resolution they rate fell in. A survey is created for each resolution (the requester answers it from the portal); it counts once, when it is answered. Unanswered, expired and withdrawn surveys (the ticket was reopened first) are not ratings. Ratings of a ticket merged into another count nowhere; those of a deleted ticket were deleted with it."),
        .init(id: "csat_average", name: "Average CSAT score",
              text: "The mean of the ratings answered in the range, from 1 (very unsatisfied) to 5 (very satisfied), with two decimals."),
        .init(id: "csat_satisfied", name: "Satisfied",
              text: "Ratings of 4 or 5 in percent of all ratings answered in the range."),
        .init(id: "csat_distribution", name: "Distribution of ratings",
              text: "How many ratings of each score from 1 to 5 were answered in the range."),
        .init(id: "csat_by_agent", name: "CSAT by agent",
              text: "Ratings answered in the range per agent who resolved the rated ticket (as in Average CSAT above), highest average first."),
        .init(id: "csat_trend", name: "CSAT over time",
              text: "The number and average of the ratings answered per day, week (Monday to Sunday) or month in the account's time zone, like the ticket volume."),
        .init(id: "channel_volume", name: "Channel volume",
              text: "Tickets created in the range per channel (the channel the ticket arrived by)."),
        .init(id: "channel_average_resolution", name: "Channel average resolution time",
              text: "Calendar time from creation to resolution over the tickets resolved in the range, per channel."),
    ]
}
