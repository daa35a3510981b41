import Tickets

/// Mailboxes: email in over IMAP and out over SMTP (`API/Mail/`).
extension OpenAPIDocument {
    static var mail: Part { Part(paths: mailboxPaths, schemas: mailSchemas) }

    private static var mailboxPaths: [String: Any] {
        let id = pathParameter("id")
        let one = jsonResponse("The mailbox (passwords are never returned).", schema: ref("Mailbox"))
        let missing = problem("No such mailbox.")
        let bodyErrors: [String: Any] = ["400": problem("The body is not JSON."), "415": problem("The body is not application/json."),
                                         "422": invalidField, "409": problem("The name is taken, or the account has \(MailboxService.maxMailboxes) mailboxes.")]
        return [
            "/api/mailboxes": [
                "get": ticketOperation("List the mailboxes", "account.manage",
                                       ["200": jsonResponse("Every mailbox by name.", schema: ref("Mailboxes"))]),
                "post": ticketOperation("Add a mailbox. Passwords are stored encrypted (AES-256-GCM, key in the data folder's mail-credentials.key) and never returned or logged.",
                                        "account.manage", body: jsonBody("MailboxInput"),
                                        ["201": jsonResponse("The new mailbox (Location header).", schema: ref("Mailbox"))]
                                            .merging(bodyErrors) { a, _ in a }),
            ],
            "/api/mailboxes/{id}": [
                "get": ticketOperation("Read a mailbox", "account.manage", parameters: [id], ["200": one, "404": missing]),
                "patch": ticketOperation("Change a mailbox: keys present change, a password only when given, moveTo null clears. Another IMAP host, user or folder resets the IMAP cursor.",
                                         "account.manage", parameters: [id], body: jsonBody("MailboxInput"),
                                         ["200": one, "404": missing].merging(bodyErrors) { a, _ in a }),
                "delete": ticketOperation("Delete a mailbox", "account.manage", parameters: [id],
                                          ["204": ["description": "Deleted."], "404": missing]),
            ],
            "/api/mailboxes/{id}/test": [
                "post": ticketOperation("Test the connection: log in to the IMAP server and open the folder (and the move-to folder), log in to the SMTP server. Each side reports ok, or the stage that failed (name resolution, connect, timeout, tls, certificate, authentication, mailbox, rejected, protocol) with the server's words. Takes up to 15 s per network step.",
                                        "account.manage", parameters: [id],
                                        ["200": jsonResponse("Both sides' results.", schema: ref("MailboxTestResult")), "404": missing,
                                         "422": problem("The stored passwords cannot be opened with this data folder's key (field credentialKey).")]),
            ],
        ]
    }

    private static var mailSchemas: [String: Any] {
        let security = enumeration(MailSecurity.allCases.map(\.rawValue))
        let server = objectType(["host": stringType, "port": integerType, "security": security, "username": stringType,
                                 "passwordSet": ["type": "boolean", "const": true]])
        let serverInput: [String: Any] = [
            "type": "object", "additionalProperties": false,
            "properties": ["host": stringType, "port": ["type": "integer", "minimum": 1, "maximum": 65_535], "security": security,
                           "username": stringType, "password": ["type": "string", "writeOnly": true]],
        ]
        let side = objectType([
            "ok": ["type": "boolean"], "tls": nullable("string"), "stage": nullable("string"), "error": nullable("string"),
            "uidValidity": nullable("integer"), "messages": nullable("integer"), "idle": nullable("boolean"),
        ], required: ["ok"])
        return [
            "Mailbox": objectType([
                "id": integerType, "name": stringType, "address": stringType, "displayName": stringType, "enabled": ["type": "boolean"],
                "imap": server, "imapFolder": stringType, "moveTo": nullable("string"), "smtp": server,
                "verifyCertificates": ["type": "boolean"],
                "cursor": ["oneOf": [["type": "null"], objectType(["uidValidity": integerType, "lastUid": integerType])]],
                "createdAt": dateTimeType, "updatedAt": dateTimeType,
            ]),
            "Mailboxes": objectType(["mailboxes": ["type": "array", "items": ref("Mailbox")]]),
            "MailboxInput": [
                "type": "object",
                "description": "On POST, name, address, imap and smtp (each with host, port, security, username, password) are required.",
                "properties": [
                    "name": ["type": "string", "minLength": 1, "maxLength": 64,
                             "description": "Letters, digits, '-', '_' and '.'; unique in any case."],
                    "address": stringType, "displayName": stringType,
                    "enabled": ["type": "boolean"], "imap": serverInput, "imapFolder": stringType, "moveTo": nullable("string"),
                    "smtp": serverInput, "verifyCertificates": ["type": "boolean"],
                ],
            ],
            "MailboxTestResult": objectType(["imap": side, "smtp": side]),
        ]
    }
}
