#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// Paths of the files below `rootPrefix`, relative to it, skipping hidden entries
    /// (never served) and not following symlinked folders.
    static func relativePaths(under rootPrefix: String) -> [String] {
        var paths: [String] = []
        var folders = [""]
        while let folder = folders.popLast() {
            guard let dir = opendir(rootPrefix + folder) else { continue }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                guard !name.hasPrefix(".") else { continue }
                let relative = folder + name
                if entry.pointee.d_type == UInt8(DT_DIR) {
                    folders.append(relative + "/")
                } else if entry.pointee.d_type == UInt8(DT_REG) || entry.pointee.d_type == UInt8(DT_LNK) {
                    paths.append(relative)
                }
            }
        }
        return paths
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
