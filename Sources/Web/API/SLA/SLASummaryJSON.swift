import Foundation
import Tickets

/// A ticket's `sla` object: its status, policy, nearest due time and every metric that
/// applies in its current cycle. Explicit nulls for unset times.
struct SLASummaryJSON: Encodable, Sendable {
    let summary: SLASummary

    init(_ summary: SLASummary) { self.summary = summary }

    private enum Keys: String, CodingKey { case status, policyId, nearestDueAt, metrics }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(summary.status.rawValue, forKey: .status)
        try c.encode(summary.policyID.rawValue, forKey: .policyId)
        try c.encode(summary.nearestDueAt, forKey: .nearestDueAt)
        try c.encode(summary.metrics.map(SLAMetricJSON.init), forKey: .metrics)
    }
}

/// One metric of the `sla` object.
struct SLAMetricJSON: Encodable, Sendable {
    let metric: SLAMetricSummary

    init(_ metric: SLAMetricSummary) { self.metric = metric }

    private enum Keys: String, CodingKey { case metric, targetMinutes, dueAt, met, breached, metAt, breachedAt, running }

    static let secondsPerMinute = 60

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(metric.metric.rawValue, forKey: .metric)
        try c.encode(metric.targetSeconds / Self.secondsPerMinute, forKey: .targetMinutes)
        try c.encode(metric.dueAt, forKey: .dueAt)
        try c.encode(metric.met, forKey: .met)
        try c.encode(metric.breached, forKey: .breached)
        try c.encode(metric.metAt, forKey: .metAt)
        try c.encode(metric.breachedAt, forKey: .breachedAt)
        try c.encode(metric.running, forKey: .running)
    }
}
