import Dispatch
import Foundation
import Testing
@testable import Tickets

/// The data folder's key files, which every node of a desk on a shared folder must read alike.
@Suite("Key files")
struct KeyFileTests {
    private static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keyfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("many processes creating the same key at once all get the first one's bytes, and no temporary file stays")
    func concurrentCreation() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("access-link.key").path
        let keys = Keys()
        DispatchQueue.concurrentPerform(iterations: 32) { _ in
            keys.add(Result { try KeyFile.loadOrCreate(path, byteCount: 32) })
        }
        let results = try keys.all.map { try $0.get() }
        #expect(results.count == 32)
        #expect(Set(results).count == 1)
        #expect(results.first == Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["access-link.key"])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("an existing key is read as it is; one of another length is refused, never replaced")
    func existingKeys() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("k").path
        let bytes = (0..<32).map { UInt8($0) }
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        #expect(try KeyFile.loadOrCreate(path, byteCount: 32) == bytes)
        FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3]))
        #expect(throws: KeyFile.Problem.self) { try KeyFile.loadOrCreate(path, byteCount: 32) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data([1, 2, 3]))
    }

    private final class Keys: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Result<[UInt8], any Error>] = []
        func add(_ result: Result<[UInt8], any Error>) { lock.withLock { results.append(result) } }
        var all: [Result<[UInt8], any Error>] { lock.withLock { results } }
    }
}
