import Foundation
import Glibc

/// A secret key in a file of its own in the data folder (mode 0600), made once and then
/// read by every process that uses the folder: the server nodes of a desk on a shared
/// folder, and the command-line tools.
enum KeyFile {
    /// Why a key file cannot be used.
    enum Problem: Error {
        case wrongLength(Int)
        case cannotWrite(String)
    }

    /// The `byteCount` bytes in `path`, or new random ones written there when the file is
    /// missing. Creation is all or nothing, and the first process to create it wins: the
    /// key is written whole to a temporary file, then linked to `path` (`link` fails if the
    /// name exists), so two nodes starting together on an empty shared folder end up with
    /// the same key, and nobody reads a half-written one.
    static func loadOrCreate(_ path: String, byteCount: Int) throws -> [UInt8] {
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count == byteCount else { throw Problem.wrongLength(data.count) }
            return Array(data)
        }
        let key = Crypto.randomBytes(byteCount)
        let temporary = path + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Problem.cannotWrite(String(cString: strerror(errno))) }
        defer { unlink(temporary) }
        let written = key.withUnsafeBytes { write(fd, $0.baseAddress, byteCount) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == byteCount, synced else { throw Problem.cannotWrite("short write") }
        if link(temporary, path) != 0 {
            guard errno == EEXIST else { throw Problem.cannotWrite(String(cString: strerror(errno))) }
            return try loadOrCreate(path, byteCount: byteCount)  // another process made it first
        }
        return key
    }
}
