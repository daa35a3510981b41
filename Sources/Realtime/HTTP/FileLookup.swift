#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// File system queries for `StaticFiles`.
enum FileLookup {
    /// A regular file found inside the root.
    struct File {
        /// The resolved path (no symlinks), what the connection opens.
        var path: String
        var size: Int
        var inode: UInt64
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int

        /// A weak validator from inode, size and modification time (RFC 9110 section 8.8.3).
        var etag: String {
            "W/\"\(String(inode, radix: 16))-\(String(size, radix: 16))-\(String(modifiedSeconds, radix: 16)).\(modifiedNanoseconds)\""
        }
    }

    /// `realpath(3)` of `path`, or nil.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The regular file at `path` when its resolved location is inside `rootPrefix`
    /// (a resolved folder ending in `/`), so symlinks cannot lead out.
    static func regularFile(_ path: String, inside rootPrefix: String) -> File? {
        guard let resolved = realPath(path), resolved.hasPrefix(rootPrefix) else { return nil }
        var info = stat()
        guard stat(resolved, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return File(path: resolved, size: Int(info.st_size), inode: UInt64(info.st_ino),
                    modifiedSeconds: Int(info.st_mtim.tv_sec), modifiedNanoseconds: Int(info.st_mtim.tv_nsec))
    }

    /// The whole file, or nil when it cannot be read or changed size meanwhile.
    static func readAll(_ path: String, expectedSize: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: expectedSize)
        var filled = 0
        while filled < expectedSize {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, expectedSize - filled) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return nil }
            filled += n
        }
        return bytes
    }
}

/// A bounded, thread-safe cache of compressed file bodies, oldest entries evicted first.
final class GzipCache: Sendable {
    private struct State {
        var entries: [String: [UInt8]] = [:]
        var order: [String] = []
        var bytes = 0
    }

    private let maxBytes: Int
    private let state = Mutex(State())

    init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    subscript(key: String) -> [UInt8]? {
        get { state.withLock { $0.entries[key] } }
        set {
            guard let newValue, newValue.count <= maxBytes else { return }
            state.withLock { state in
                guard state.entries[key] == nil else { return }
                while state.bytes + newValue.count > maxBytes, !state.order.isEmpty {
                    let oldest = state.order.removeFirst()
                    state.bytes -= state.entries.removeValue(forKey: oldest)?.count ?? 0
                }
                state.entries[key] = newValue
                state.order.append(key)
                state.bytes += newValue.count
            }
        }
    }
}
