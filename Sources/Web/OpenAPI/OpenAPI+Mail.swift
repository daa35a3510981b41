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
            "/api/emails/{id}/original": [
                "get": ticketOperation("Download an ingested email's original (the raw message as received, up to \(AttachmentStore.maxFileBytes) bytes; message/rfc822, Content-Disposition attachment). The id is the one in a message's email.originalUrl.",
                                       "ticket.view", parameters: [id],
                                       ["200": ["description": "The raw message.", "content": ["message/rfc822": ["schema": ["type": "string"]]]],
                                        "403": problem("The ticket it was filed on is not visible to you."),
                                        "404": problem("No such email, or its original was not kept.")]),
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
            "MessageEmail": [
                "type": "object", "required": ["direction", "address", "delivery", "error", "replyText", "originalUrl"],
                "description": "How a thread message travelled by email. in: a customer's email taken in; out: an agent's public reply sent through the outbox (to the requester, the ticket's CC contacts in Cc, with the requester's portal link). A message moved by a merge keeps no mark.",
                "properties": [
                    "direction": enumeration(["in", "out"]),
                    "address": ["type": ["string", "null"],
                                "description": "in: the sender's address (for email taken before senders were stored: the requester's, on a requester's reply, else null). out: the recipient (the requester; CCs are not listed here)."],
                    "delivery": ["oneOf": [enumeration(EmailMark.Delivery.allCases.map(\.rawValue)), ["type": "null"]],
                                 "description": "out: the outbox state; failed is permanent (a 5xx refusal, or retries given up) and also written as an internal note on the ticket and an email_failed notification to the reply's author. Null for in."],
                    "error": ["type": ["string", "null"], "description": "out and failed: the server's refusal. Otherwise null."],
                    "replyText": ["type": ["string", "null"],
                                  "description": "in: what the sender wrote above their quoted history or signature (the view folds the rest; body keeps the full text). Null when there is nothing to fold, and for out."],
                    "originalUrl": ["type": ["string", "null"],
                                    "description": "in: GET it for the raw message as received (message/rfc822, a download); null when the original was larger than \(AttachmentStore.maxFileBytes) bytes (not kept), and for out."],
                ],
            ],
        ]
    }
}
