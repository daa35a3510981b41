import Foundation
import Presence
import Testing
import Tickets
@testable import Web

@Suite("PresenceNodeMessage: presence between nodes, within the bus's payload limit, read defensively")
struct PresenceNodeMessageTests {
    typealias Entry = PresenceRegistry.NodeEntry
    let ada = PresenceRegistry.Person(userID: 1, name: "Ada Lovelace")

    @Test("a delta reads back as written, literal bytes included")
    func deltaRoundTrip() throws {
        let entries = [Entry(person: ada, room: "ticket:5", activity: .viewing),
                       Entry(person: ada, room: "ticket:6", activity: .composing(.note)),
                       Entry(person: ada, room: "ticket:7", activity: .gone)]
        let payloads = PresenceNodeMessage.deltaPayloads(entries)
        #expect(payloads == [#"{"v":1,"k":"delta","e":[{"a":"view","n":"Ada Lovelace","r":"ticket:5","u":1},"#
            + #"{"a":"note","n":"Ada Lovelace","r":"ticket:6","u":1},{"a":"gone","n":"Ada Lovelace","r":"ticket:7","u":1}]}"#])
        #expect(try PresenceNodeMessage.decode(payloads[0]) == .delta(entries))
        #expect(PresenceNodeMessage.deltaPayloads([]).isEmpty)
        #expect(try PresenceNodeMessage.decode(PresenceNodeMessage.helloPayload) == .hello)
    }

    @Test("a large state is split into numbered parts under the payload limit that read back to the same entries")
    func stateIsSplit() throws {
        let entries = (1...400).map { Entry(person: .init(userID: $0, name: String(repeating: "é", count: 150)), room: "ticket:\($0)", activity: .viewing) }
        let payloads = PresenceNodeMessage.statePayloads(entries, generation: 9)
        #expect(payloads.count > 10)
        #expect(payloads.allSatisfy { $0.utf8.count <= NodeBusLimits.maxPayloadBytes })
        var read: [Entry] = []
        for (index, payload) in payloads.enumerated() {
            guard case .state(let generation, let part, let parts, let partEntries) = try PresenceNodeMessage.decode(payload) else {
                Issue.record("not a state part")
                return
            }
            #expect(generation == 9 && part == index && parts == payloads.count)
            read += partEntries
        }
        #expect(read == entries)
        #expect(PresenceNodeMessage.statePayloads([], generation: 3) == [#"{"v":1,"k":"state","g":3,"i":0,"n":1,"e":[]}"#])
    }

    @Test("anything but a well-formed message is refused whole, with its reason")
    func refusals() {
        let entry = #"{"a":"view","n":"Ada","r":"ticket:5","u":1}"#
        let cases: [(String, PresenceNodeMessage.Refusal)] = [
            ("not json", .notJSON),
            (#"{"v":2,"k":"hello"}"#, .unknownVersion),
            (#"{"v":1,"k":"shout"}"#, .unknownKind),
            (#"{"v":1,"k":"delta"}"#, .badEntry),
            (#"{"v":1,"k":"state","g":1,"i":2,"n":2,"e":[]}"#, .badPart),
            (#"{"v":1,"k":"state","g":1,"i":0,"n":1,"e":[{"a":"gone","n":"Ada","r":"ticket:5","u":1}]}"#, .badEntry),
            (#"{"v":1,"k":"delta","e":[\#(entry),{"a":"view","n":"Ada","r":"board","u":1}]}"#, .badEntry),
            (#"{"v":1,"k":"delta","e":[{"a":"view","n":"Ada","r":"ticket:99999999999999999999","u":1}]}"#, .badEntry),
            (#"{"v":1,"k":"delta","e":[{"a":"view","n":"","r":"ticket:5","u":1}]}"#, .badEntry),
            (#"{"v":1,"k":"delta","e":[{"a":"view","n":"\#(String(repeating: "x", count: 201))","r":"ticket:5","u":1}]}"#, .badEntry),
            (#"{"v":1,"k":"delta","e":[{"a":"view","n":"Ada","r":"ticket:5","u":0}]}"#, .badEntry),
            (#"{"v":1,"k":"delta","e":[{"a":"shout","n":"Ada","r":"ticket:5","u":1}]}"#, .badEntry),
            (#"{"v":1,"k":"delta","e":[\#(Array(repeating: entry, count: 200).joined(separator: ","))]}"#, .tooLarge),
        ]
        for (payload, refusal) in cases {
            #expect(throws: refusal, "\(payload.prefix(80))") { try PresenceNodeMessage.decode(payload) }
        }
    }
}
