// Writes a Swift file holding every file under a folder as base64 text, for the EmbedStatic
// build plugin. Base64 string literals compile in a moment; byte-array literals of the same
// half megabyte take the type checker minutes.
// Usage: EmbedStaticTool <folder> <output.swift>
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: EmbedStaticTool <folder> <output.swift>\n".utf8))
    exit(64)
}
let root = URL(fileURLWithPath: arguments[1]).standardizedFileURL
var entries: [(String, String)] = []
if let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) {
    for case let url as URL in walker {
        guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
        let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
        // Hidden files (editor swap files, .DS_Store) are never served, so never embedded.
        guard !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { continue }
        entries.append((relative, try Data(contentsOf: url).base64EncodedString()))
    }
}
entries.sort { $0.0 < $1.0 }
var source = """
    // Generated at build time by EmbedStaticTool (the EmbedStatic plugin) from static/. Do not edit.

    /// The browser app's files: (path below static/, base64 of the bytes), sorted by path.
    let embeddedStaticFiles: [(path: String, base64: String)] = [

    """
for (path, base64) in entries {
    source += "    (\"\(path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\", \"\(base64)\"),\n"
}
source += "]\n"
try Data(source.utf8).write(to: URL(fileURLWithPath: arguments[2]), options: .atomic)
