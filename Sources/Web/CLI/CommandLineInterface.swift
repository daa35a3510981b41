import Foundation
import Realtime
import Tickets

/// Parses the command line and runs the chosen command. Returns the process exit status.
public enum CommandLineInterface {
    static let usage = """
        usage: helpdesk <command> [options]

        commands:
          serve      start the help desk (HTTP, WebSocket and the browser app)
                       --host HOST   address to listen on (default 127.0.0.1)
                       --port PORT   TCP port (default 8080)
                       --tls-cert FILE --tls-key FILE
                                     serve HTTPS and WSS with this PEM certificate chain and key
                                     (TLS 1.2 and 1.3 only); SIGHUP reloads both files; cookies
                                     get Secure and responses HSTS
                       --redirect-http PORT  with TLS: also listen for plain HTTP on PORT and
                                     redirect every request to the HTTPS port
                       --body-read-timeout SECONDS  a request body must arrive within this time
                                     plus 1 s per 500 bytes received (default 20), else 408
                       --secure-cookies  the app is reached over HTTPS (a TLS-terminating proxy in
                             front): session cookies get the Secure attribute
                       --event-retention-days N  keep events in the event log N days after every
                             consumer has handled them (default 30)
                       --trusted-proxy LIST  comma-separated addresses or CIDR blocks of reverse proxies
                             whose X-Forwarded-For names the client (default: none is trusted)
                       --metrics-token TOKEN  /metrics answers only Authorization: Bearer TOKEN
                             (default: /metrics is open to whoever reaches the server)
                       --public-url URL  the address customers reach this server at, for the portal
                             and survey links in emails (default: http(s)://HOST:PORT as listened on)
                       --static-dir DIR  serve the browser app from DIR instead of the copy built
                                     into this binary (default: the built-in copy); DIR is read
                                     once, at start-up
                       --test-clock  FOR TESTS AND DEMOS ONLY: the server's clock can be moved
                                     forward with POST /api/test/clock (see README)
                     With no agents yet, it logs a one-time /setup link to create the first administrator.
          user add   add an agent
                       --email EMAIL --name NAME --role ROLE (name or id: Administrator, Supervisor, Agent, ...)
                       --password-stdin   read the password from the first line of standard input
          demo       add the demo data set (agents, contacts, a few hundred tickets with threads)
                       --force       add it even when the data folder already holds tickets
                       --tickets N   how many tickets (default 300, at most 200000)
          ingest     take one email from standard input (for a mail server delivering by pipe)
                       --mailbox NAME  the mailbox it arrived at (its name in Settings)
                     exit 0 taken, 65 unreadable, 67 no such mailbox, 75 try again later
          backup PATH
                     copy the database (consistently, while the server runs) and the attachments
                     into the new or empty folder PATH
          migrate-data  copy this data folder's SQLite database into PostgreSQL, then verify the copy
                     (row counts and SHA-256 checksums of every table); stop the desk first
                       --database postgres://...  the target: an empty database (one that holds any
                                     agent, ticket, contact or other desk data is refused)
                       --verify-only  copy nothing: compare the two databases' counts and checksums
                     Attachments and key files stay in the data folder: every PostgreSQL node serves
                     with --data on that folder (shared). Exit 0 verified, 1 failed or different.
          help       show this text (also --help, -h)
          version    print the version and the database schema version (also --version)

        Every command takes --data DIR: the data folder with the database and attachments (default ./data).
        serve, user, demo and ingest also take --database postgres://USER[:PASSWORD]@HOST[:PORT]/DB
        (or the HELPDESK_DATABASE environment variable): keep the database in PostgreSQL instead of
        SQLite in the data folder; attachments and key files stay in the data folder.
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
            case "serve": return try serve(&options)
            case "user": return try UserCommand.run(&options)
            case "demo": return try DemoCommand.run(&options)
            case "backup": return try BackupCommand.run(&options)
            case "ingest": return try IngestCommand.run(&options)
            case "migrate-data": return try MigrateDataCommand.run(&options)
            case "help", "--help", "-h":
                print(usage)
                return 0
            case "version", "--version":
                try options.finish()
                print(Version.report)
                return 0
            default:
                throw UsageError("unknown command '\(command)'")
            }
        } catch let error as UsageError {
            printError("helpdesk: \(error.message) (see helpdesk --help)")
            return 2
        } catch let error as DomainError {
            printError("helpdesk: " + (error.field.map { "\($0): " } ?? "") + error.message)
            return 1
        } catch {
            printError("helpdesk: \(error)")
            return 1
        }
    }

    private static func serve(_ options: inout Options) throws -> Int32 {
        // First, before any thread exists: signals and stdout as a server needs them.
        Server.prepareProcess()
        var configuration = ServerConfiguration()
        configuration.host = try options.take("--host") ?? "127.0.0.1"
        configuration.port = try options.takeInt("--port") ?? 8080
        let data = try options.take("--data") ?? "./data"
        let database = try options.takeDatabase()
        let testClock = options.takeFlag("--test-clock") ? TestClock() : nil
        let publicURL = try options.take("--public-url").map(Self.publicURL)
        let (tls, redirectPort) = try transportOptions(&options, into: &configuration)
        let secureCookies = options.takeFlag("--secure-cookies") || tls != nil
        let retentionDays = try options.takeInt("--event-retention-days") ?? 30
        guard (1...3_650).contains(retentionDays) else {
            throw UsageError("--event-retention-days must be a number of days from 1 to 3650")
        }
        var security = SecurityOptions(strictTransportSecurity: tls != nil)
        if let list = try options.take("--trusted-proxy") {
            do {
                security.trustedProxies = try TrustedProxies(parsing: list)
            } catch {
                throw UsageError("--trusted-proxy: '\(error.entry)' is not an IP address or CIDR block")
            }
        }
        if let token = try options.take("--metrics-token") {
            guard token.utf8.count >= 16 else { throw UsageError("--metrics-token must be at least 16 characters") }
            security.metricsToken = token
        }
        let appFiles: AppFiles = try options.take("--static-dir").map(AppFiles.directory) ?? .builtIn
        if let problem = appFiles.problem { throw UsageError("--static-dir: \(problem)") }
        try options.finish()
        let now: Clock = if let testClock { { testClock.now() } } else { { Date() } }
        let services = try Services(dataDirectory: data, database: database, now: now)
        // Spooled request bodies go on the data disk: /tmp may be a memory-backed tmpfs.
        configuration.bodySpoolDirectory = data + "/spool"
        try FileManager.default.createDirectory(atPath: configuration.bodySpoolDirectory, withIntermediateDirectories: true)
        let hasAgents = try Blocking.run { try await !services.accounts.agents().isEmpty }
        let setupToken = hasAgents ? nil : SetupGate.generateToken()
        let app = HelpdeskApp(services: services, staticDirectory: appFiles,
                              secureCookies: secureCookies, setup: SetupGate(token: setupToken), testClock: testClock,
                              security: security, eventRetentionDays: retentionDays)
        let server = Server(configuration: configuration, handler: app.handler)
        server.bodyPolicy = RequestBodyPolicy.policy
        app.attach(to: server)
        if testClock != nil {
            Log.info("WARNING: --test-clock is on: POST /api/test/clock moves this server's clock; never use it in production")
        }
        server.log = { Log.info($0) }
        let port = try server.start()
        let scheme = tls == nil ? "http" : "https"
        // After the loops run (the live consumer broadcasts through them); requests that
        // arrive meanwhile are in the log, and every consumer starts from its cursor. Email
        // runs on the node that leads.
        let mailURL = publicURL ?? "\(scheme)://\(configuration.host):\(port)"
        _ = try Blocking.run { try await app.start(mailPublicURL: mailURL) }
        let redirect = try redirectPort.map { try startRedirect(port: $0, httpsPort: port, host: configuration.host) }
        let store = database.map { "database \($0), attachments in \(data), node \(app.node.nodeID)" } ?? "data in \(data)"
        Log.info("helpdesk \(Version.text) listening on \(scheme)://\(configuration.host):\(port) (\(store))")
        Log.info("browser app served from \(appFiles.logDescription), version \(app.appVersion ?? "none")")
        if let setupToken {
            // The one deliberate exception to "no secrets in logs": the operator needs this
            // link, it works once, and only until the first agent exists.
            Log.info("no administrator yet: open \(scheme)://\(configuration.host):\(port)/setup?token=\(setupToken) to create one")
        }
        server.runUntilSignalled()
        redirect?.shutdown()
        // Email stops with the leader's duties; the relays store every consumer's cursor as they stop.
        _ = try? Blocking.run { await app.stop() }
        Log.info("helpdesk stopped")
        return 0
    }

    /// `--public-url`: an http(s) URL without path, query or fragment, returned without a trailing slash.
    static func publicURL(_ raw: String) throws -> String {
        let trimmed = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.host?.isEmpty == false, url.path.isEmpty, url.query == nil, url.fragment == nil else {
            throw UsageError("--public-url must be an http or https URL without a path, e.g. https://help.example.com")
        }
        return trimmed
    }

    /// `--tls-cert`/`--tls-key`, `--redirect-http` and `--body-read-timeout` into
    /// `configuration`; returns the TLS files (nil: plain HTTP) and the redirect port.
    private static func transportOptions(_ options: inout Options, into configuration: inout ServerConfiguration) throws
        -> (TLSConfiguration?, Int?) {
        let tls = try tlsConfiguration(&options)
        configuration.tls = tls
        let redirectPort = try options.takeInt("--redirect-http")
        if redirectPort != nil, tls == nil { throw UsageError("--redirect-http needs --tls-cert and --tls-key") }
        if let seconds = try options.take("--body-read-timeout") {
            guard let value = Double(seconds), value >= 1, value <= 3600 else {
                throw UsageError("--body-read-timeout must be a number of seconds from 1 to 3600, got '\(seconds)'")
            }
            configuration.bodyReadTimeoutSeconds = value
        }
        // The parser's ceiling; `RequestBodyPolicy` gives each route its own limit under it.
        configuration.http.maxBodyBytes = RequestBodyPolicy.ceilingBytes
        return (tls, redirectPort)
    }

    /// `--tls-cert` and `--tls-key`, which go together; nil when neither is given.
    private static func tlsConfiguration(_ options: inout Options) throws -> TLSConfiguration? {
        switch (try options.take("--tls-cert"), try options.take("--tls-key")) {
        case (nil, nil): return nil
        case (let certificate?, let key?): return TLSConfiguration(certificateChainPath: certificate, privateKeyPath: key)
        default: throw UsageError("--tls-cert and --tls-key go together")
        }
    }

    /// The plain-HTTP listener that redirects to HTTPS (one loop: it only answers redirects).
    private static func startRedirect(port: Int, httpsPort: Int, host: String) throws -> Server {
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.loopCount = 1
        let redirect = Server(configuration: configuration, handler: HTTPSRedirect.handler(httpsPort: httpsPort))
        redirect.log = { Log.info($0) }
        let bound = try redirect.start()
        Log.info("redirecting http://\(host):\(bound) to https://\(host):\(httpsPort)")
        return redirect
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
