// swift-tools-version:6.0
// The help desk: one Swift server with no package dependencies. System libraries
// (OpenSSL, SQLite3, zlib, libpq) and the Linux calls Glibc does not export are reached
// through the small C targets below.
import PackageDescription

let package = Package(
    name: "helpdesk",
    products: [
        .executable(name: "helpdesk", targets: ["helpdesk"]),
        .executable(name: "realtime-echo", targets: ["RealtimeEcho"]),
        .executable(name: "mail-probe", targets: ["MailProbe"]),
    ],
    targets: [
        // C shims and system libraries.
        // CSystem also applies the TLS policy OpenSSL only exposes as macros, hence libssl.
        .target(name: "CSystem", path: "Sources/CSystem", linkerSettings: [.linkedLibrary("ssl")]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        // libpq, PostgreSQL's client library: the optional shared store (`--database postgres://`).
        .systemLibrary(name: "CPostgres", path: "Sources/CPostgres", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),

        // Event loop, HTTP/1.1, WebSocket and rooms. Knows nothing of tickets.
        .target(
            name: "Realtime", dependencies: ["CSystem", "CZlib", "COpenSSL"],
            // Every mutable state of this module is confined to one event-loop thread; the
            // runtime exclusivity checks cost ~10% of a message's path in release builds.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]),
        // Who is viewing and typing where: pure state with an injected clock.
        .target(name: "Presence"),
        // The help desk domain and its storage. Knows nothing of HTTP or sockets.
        // The common-password list is compiled in, so the binary stays one file.
        .target(name: "Tickets", dependencies: ["CSQLite", "CPostgres", "COpenSSL"],
                resources: [.embedInCode("Accounts/Resources/common-passwords.txt")]),
        // Email: RFC 5322/MIME parsing and building, SMTP submission and IMAP over blocking
        // sockets with OpenSSL. Knows nothing of tickets.
        .target(name: "Mail", dependencies: ["COpenSSL"]),
        // PDF files written by hand: pages, text in an embedded TrueType font subset, vector
        // drawing, paged tables and charts, PNG and JPEG images (zlib inflates PNG data).
        // Knows nothing of tickets or HTTP.
        .target(name: "Documents", dependencies: ["CZlib"]),
        // The composition root: REST API, live rooms, static files. The browser app in
        // static/ is built in by the EmbedStatic plugin, so the binary alone is an install.
        .target(name: "Web", dependencies: ["Realtime", "Tickets", "Presence", "Mail", "Documents"],
                plugins: ["EmbedStatic"]),
        // Writes static/ as a Swift source for Web (run by the EmbedStatic build plugin).
        .executableTarget(name: "EmbedStaticTool", path: "Sources/EmbedStaticTool"),
        .plugin(name: "EmbedStatic", capability: .buildTool(), dependencies: ["EmbedStaticTool"]),

        .executableTarget(name: "helpdesk", dependencies: ["Web"], path: "Sources/helpdesk"),
        // The example of using Realtime alone, and what Autobahn and the benchmark talk to.
        .executableTarget(name: "RealtimeEcho", dependencies: ["Realtime"], path: "Sources/RealtimeEcho"),

        // Drives Mail alone from the command line: what the mail integration tests run.
        .executableTarget(name: "MailProbe", dependencies: ["Mail"], path: "Sources/MailProbe"),

        // Fills a database with a million tickets and measures list, search, page and create latencies.
        .executableTarget(name: "TicketsBenchmark", dependencies: ["Tickets"], path: "Sources/TicketsBenchmark"),

        // libFuzzer entry points (built with `--sanitize=fuzzer`; a plain build gets an empty main).
        .executableTarget(name: "FuzzHTTPParser", dependencies: ["Realtime"], path: "Fuzz/HTTPParser", exclude: ["corpus"]),
        .executableTarget(name: "FuzzWebSocketFrame", dependencies: ["Realtime"], path: "Fuzz/WebSocketFrame", exclude: ["corpus"]),

        .executableTarget(name: "FuzzMIMEParser", dependencies: ["Mail"], path: "Fuzz/MIMEParser", exclude: ["corpus"]),

        .testTarget(name: "MailTests", dependencies: ["Mail"], exclude: ["Fixtures"]),
        .testTarget(name: "RealtimeTests", dependencies: ["Realtime"]),
        .testTarget(name: "PresenceTests", dependencies: ["Presence"]),
        .testTarget(name: "TicketsTests", dependencies: ["Tickets"]),
        .testTarget(name: "WebTests", dependencies: ["Web"]),
        .testTarget(name: "DocumentsTests", dependencies: ["Documents"]),
    ]
)
