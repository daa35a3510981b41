import Foundation
import Realtime

/// Parses the command line and runs the chosen command. Returns the process exit status.
public enum CommandLineInterface {
    static let usage = """
        usage: helpdesk <command> [options]

        commands:
          serve      start the help desk (HTTP, WebSocket and the browser app)
                       --host HOST   address to listen on (default 127.0.0.1)
                       --port PORT   TCP port (default 8080)
                       --data DIR    data folder: database and attachments (default ./data)
          help       show this text

        Every command takes --data DIR.
        """

    /// Runs `arguments` (without the program name).
    public static func run(_ arguments: [String]) -> Int32 {
        guard let command = arguments.first else {
            print(usage)
            return 2
        }
        do {
            var options = try Options(Array(arguments.dropFirst()))
            switch command {
            case "serve":
                return try serve(&options)
            case "help", "--help", "-h":
                print(usage)
                return 0
            default:
                throw UsageError("unknown command '\(command)'")
            }
        } catch let error as UsageError {
            printError("helpdesk: \(error.message) (see helpdesk --help)")
            return 2
        } catch {
            printError("helpdesk: \(error)")
            return 1
        }
    }

    private static func serve(_ options: inout Options) throws -> Int32 {
        var configuration = ServerConfiguration()
        configuration.host = try options.take("--host") ?? "127.0.0.1"
        configuration.port = try options.takeInt("--port") ?? 8080
        let data = try options.take("--data") ?? "./data"
        try options.finish()
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let app = try HelpdeskApp(dataDirectory: data, staticDirectory: HelpdeskApp.locateStaticDirectory())
        Server.prepareProcess()
        let server = Server(configuration: configuration, handler: app.handler)
        let port = try server.start()
        Log.info("helpdesk listening on http://\(configuration.host):\(port) (data in \(data))")
        server.runUntilSignalled()
        Log.info("helpdesk stopped")
        return 0
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// A mistake on the command line.
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// `--name value` options, taken one by one so leftovers can be reported.
struct Options {
    private var pairs: [String: String] = [:]
    private(set) var flags: Set<String> = []

    init(_ arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            guard argument.hasPrefix("--") else { throw UsageError("unexpected argument '\(argument)'") }
            if let equals = argument.firstIndex(of: "=") {
                pairs[String(argument[..<equals])] = String(argument[argument.index(after: equals)...])
            } else if ["--password-stdin", "--force"].contains(argument) {
                flags.insert(argument)
            } else {
                guard let value = iterator.next() else { throw UsageError("\(argument) needs a value") }
                pairs[argument] = value
            }
        }
    }

    mutating func take(_ name: String) throws -> String? {
        pairs.removeValue(forKey: name)
    }

    mutating func takeInt(_ name: String) throws -> Int? {
        guard let text = pairs.removeValue(forKey: name) else { return nil }
        guard let value = Int(text), value >= 0, value <= 65535 else { throw UsageError("\(name) must be a port number, got '\(text)'") }
        return value
    }

    mutating func takeFlag(_ name: String) -> Bool {
        flags.remove(name) != nil
    }

    func finish() throws {
        if let unknown = pairs.keys.sorted().first ?? flags.sorted().first {
            throw UsageError("unknown option \(unknown)")
        }
    }
}
