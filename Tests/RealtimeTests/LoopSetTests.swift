import Testing
@testable import Realtime

@Suite("LoopSet: which loops have members in a room, for any number of loops")
struct LoopSetTests {
    @Test("Loops 64 and up are kept like the first 64 (a 64-bit mask used to drop them)")
    func loopsPastSixtyFourAreKept() {
        var loops = LoopSet()
        for index in [0, 63, 64, 65, 127, 128, 300] { loops.insert(index) }
        for index in [0, 63, 64, 65, 127, 128, 300] { #expect(loops.contains(index)) }
        for index in [1, 62, 66, 129, 299, 301, 1_000] { #expect(!loops.contains(index)) }
    }

    @Test("Removing every loop leaves an empty set equal to a fresh one")
    func removingAllLeavesEmpty() {
        var loops = LoopSet()
        loops.insert(3)
        loops.insert(200)
        loops.remove(200)
        #expect(!loops.isEmpty)
        loops.remove(3)
        #expect(loops.isEmpty)
        #expect(loops == LoopSet())
    }

    @Test("Rooms forget a room once its last loop leaves, whatever that loop's index")
    func roomsTrackHighLoops() {
        let rooms = Rooms(contexts: [])
        rooms.loop(70, occupies: "r", true)
        rooms.loop(2, occupies: "r", true)
        #expect(rooms.occupiedLoops("r").contains(70))
        rooms.loop(2, occupies: "r", false)
        #expect(rooms.occupiedLoops("r").contains(70))
        rooms.loop(70, occupies: "r", false)
        #expect(rooms.occupiedLoops("r").isEmpty)
    }
}
