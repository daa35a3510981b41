import Foundation
import Realtime

/// Where the browser app (`static/`) is served from: the copy built into the binary (the
/// default, so the binary alone is a complete install) or a folder (`--static-dir`, to try
/// changes without rebuilding, or to serve a customised app).
public enum AppFiles: Sendable, Equatable {
    case builtIn
    case directory(String)

    /// The files to serve; nil for a folder without `index.html`.
    var staticFiles: StaticFiles? {
        switch self {
        case .builtIn:
            Self.builtInFiles
        case .directory(let path):
            FileManager.default.fileExists(atPath: path + "/index.html")
                ? StaticFiles(root: path, cacheControl: Self.cachePolicy) : nil
        }
    }

    /// One line for the start-up log: what the app is served from.
    public var logDescription: String {
        switch self {
        case .builtIn: "the copy built into this binary (\(embeddedStaticFiles.count) files)"
        case .directory(let path): "the folder \(URL(fileURLWithPath: path).standardizedFileURL.path)"
        }
    }

    /// Assets revalidate on every load: an upgrade shows at once, and the ETag keeps it cheap.
    private static let cachePolicy = StaticFiles.CachePolicy(assets: "no-cache")

    /// The built-in copy, decoded and compressed once per process.
    private static let builtInFiles: StaticFiles = {
        var files: [String: [UInt8]] = [:]
        for file in embeddedStaticFiles {
            files[file.path] = Data(base64Encoded: file.base64).map { Array($0) } ?? []
        }
        let built = (try? FileManager.default.attributesOfItem(atPath: CommandLine.arguments[0])[.modificationDate] as? Date) ?? Date()
        return StaticFiles(files: files, modifiedSeconds: Int(built.timeIntervalSince1970), cacheControl: cachePolicy)
    }()
}
