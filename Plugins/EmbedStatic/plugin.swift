import Foundation
import PackagePlugin

/// Builds the browser app (`static/`) into the `Web` module: one generated Swift file holding
/// every file's bytes, so the `helpdesk` binary serves the app from wherever it is installed.
/// SwiftPM re-runs the command whenever a file under `static/` changes, is added or removed.
@main
struct EmbedStatic: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL.appending(path: "static")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedStatic.swift")
        var inputs: [URL] = []
        if let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                inputs.append(url)
            }
        }
        return [.buildCommand(displayName: "Embedding static/ (\(inputs.count) files) in the binary",
                              executable: try context.tool(named: "EmbedStaticTool").url,
                              arguments: [root.path, output.path], inputFiles: inputs, outputFiles: [output])]
    }
}
