import Foundation
import Realtime

/// Where the browser app (`static/`) is served from: the copy built into the binary (the
/// default, so the binary alone is a complete install) or a folder (`--static-dir`, to try
/// changes without rebuilding, or to serve a customised app). Either way the files are held
/// in memory under one content version (`AppAssets`); a folder is read once, at start-up,
/// so what the version names is what is served (restart to serve edits).
public enum AppFiles: Sendable, Equatable {
    case builtIn
    case directory(String)

    /// The most a `--static-dir` folder may hold, since it is read into memory: 64 times the
    /// app's 1 MiB of code and 1.5 MiB of guide screenshots; a bigger folder is not an app
    /// folder (a data or home folder given by mistake).
    static let maxDirectoryBytes = 64 * 1024 * 1024

    /// The files to serve; nil for a folder without `index.html` or one that cannot be read.
    var assets: AppAssets? {
        switch self {
        case .builtIn:
            Self.builtInAssets
        case .directory(let path):
            Self.read(folder: path).flatMap { $0.files["index.html"] == nil ? nil : AppAssets(files: $0.files, modifiedSeconds: $0.modified) }
        }
    }

    /// Why `--static-dir` cannot be served (no `index.html`, too large), or nil when it can.
    var problem: String? {
        guard case .directory(let path) = self else { return nil }
        guard FileManager.default.fileExists(atPath: path + "/index.html") else { return "\(path) has no index.html" }
        let bytes = Self.regularFiles(in: path).reduce(0) { $0 + $1.size }
        guard bytes <= Self.maxDirectoryBytes else {
            return "\(path) holds \(bytes / 1_048_576) MiB; the app's folder may hold at most \(Self.maxDirectoryBytes / 1_048_576) MiB"
        }
        return nil
    }

    /// One line for the start-up log: what the app is served from.
    public var logDescription: String {
        switch self {
        case .builtIn: "the copy built into this binary (\(embeddedStaticFiles.count) files)"
        case .directory(let path): "the folder \(URL(fileURLWithPath: path).standardizedFileURL.path), read at start-up"
        }
    }

    /// The built-in copy, decoded, versioned and compressed once per process.
    private static let builtInAssets: AppAssets = {
        var files: [String: [UInt8]] = [:]
        for file in embeddedStaticFiles {
            files[file.path] = Data(base64Encoded: file.base64).map { Array($0) } ?? []
        }
        let built = (try? FileManager.default.attributesOfItem(atPath: CommandLine.arguments[0])[.modificationDate] as? Date) ?? Date()
        return AppAssets(files: files, modifiedSeconds: Int(built.timeIntervalSince1970))
    }()

    /// Every regular file under `folder` (path below it -> bytes) and the newest modification
    /// time, chosen as the build chooses what to embed (hidden files never); nil when a file
    /// cannot be read or the folder is over `maxDirectoryBytes`.
    private static func read(folder: String) -> (files: [String: [UInt8]], modified: Int)? {
        var files: [String: [UInt8]] = [:]
        var modified = 0
        var total = 0
        for file in regularFiles(in: folder) {
            total += file.size
            guard total <= maxDirectoryBytes, let data = FileManager.default.contents(atPath: file.url.path) else { return nil }
            files[file.relative] = Array(data)
            modified = max(modified, file.modified)
        }
        return (files, modified)
    }

    /// The regular files below `folder`, skipping hidden entries (editor swap files, `.git`).
    private static func regularFiles(in folder: String) -> [(url: URL, relative: String, size: Int, modified: Int)] {
        let root = URL(fileURLWithPath: folder).standardizedFileURL
        let keys: [URLResourceKey] = [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey]
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles])
        else { return [] }
        var found: [(url: URL, relative: String, size: Int, modified: Int)] = []
        for case let url as URL in walker {
            guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
            found.append((url, relative, values.fileSize ?? 0, Int(values.contentModificationDate?.timeIntervalSince1970 ?? 0)))
        }
        return found
    }
}
