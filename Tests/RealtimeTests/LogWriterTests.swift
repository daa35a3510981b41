import Foundation
import Glibc
import Testing
@testable import Realtime

@Suite("LogWriter: one logger thread; a stalled output drops and counts lines, never blocks")
struct LogWriterTests {
    @Test("Lines reach the output in order, whole, once flushed")
    func linesArriveInOrder() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let writer = LogWriter(fd: ends[1])
        for number in 0..<100 { writer.write("line \(number)") }
        #expect(writer.flush())
        close(ends[1])
        let text = readAll(ends[0])
        close(ends[0])
        #expect(text == (0..<100).map { "line \($0)\n" }.joined())
        #expect(writer.droppedLines == 0)
    }

    @Test("With nobody reading the output, writing returns at once and the overflow is counted")
    func stalledOutputDropsAndCounts() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let writer = LogWriter(fd: ends[1], maxBufferedBytes: 4_096)
        let line = String(repeating: "x", count: 99)
        // 1 MB against a 64 KiB pipe and a 4 KiB buffer: most lines cannot be held.
        var accepted = 0
        for _ in 0..<10_000 where writer.write(line) { accepted += 1 }
        #expect(writer.droppedLines == 10_000 - accepted)
        #expect(writer.droppedLines > 9_000)
        // Once the output drains, every accepted line is written, whole.
        let received = ReceivedText()
        let readEnd = ends[0]
        Thread { received.set(readAll(readEnd)) }.start()
        #expect(writer.flush(timeoutSeconds: 10))
        close(ends[1])
        let text = received.waitForValue()
        close(ends[0])
        #expect(text.count == accepted * 100)
        #expect(text.split(separator: "\n").allSatisfy { $0 == line })
    }
}

/// Reads `fd` to end of file.
private func readAll(_ fd: Int32) -> String {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// A string handed from a reader thread to the test.
private final class ReceivedText: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: String?

    func set(_ text: String) {
        condition.withLock {
            value = text
            condition.signal()
        }
    }

    /// Waits (up to 10 s) for the text.
    func waitForValue() -> String {
        condition.withLock {
            let deadline = Date().addingTimeInterval(10)
            while value == nil, condition.wait(until: deadline) {}
            return value ?? ""
        }
    }
}
