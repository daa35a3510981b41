extension OpenAPIDocument {
    /// Sessions, setup, API tokens, agents, roles, permissions and account settings.
    static var accounts: Part {
        let id: [String: Any] = ["name": "id", "in": "path", "required": true, "schema": ["type": "integer", "minimum": 1]]
        let noContent: [String: Any] = ["description": "Done."]
        return Part(
        paths: [
            "/api/session": [
                "post": operation("Sign in", permission: nil, body: "LoginRequest", security: false, responses: [
                    "200": jsonResponse("Signed in; sets the HttpOnly session cookie (rotated: a presented old session ends).", schema: ref("Session")),
                    "401": problem("Wrong email or password, or the account is inactive."),
                    "422": problem("The email or password is longer than any real one (`field` names it)."),
                    "429": problem("Too many attempts (delays grow with failures for this account and address), or the server is busy checking passwords; see Retry-After."),
                ]),
                "get": operation("The current session", permission: nil, responses: ["200": jsonResponse("Who is signed in.", schema: ref("Session"))]),
                "delete": operation("Sign out", permission: nil, responses: ["204": ["description": "Signed out; the cookie is cleared."]]),
            ],
            "/api/setup": [
                "get": operation("Whether the server still needs its first administrator (never the token)", permission: nil, security: false,
                                 responses: ["200": jsonResponse("`needed` is true until the first administrator exists.", schema: ref("SetupState"))]),
                "post": operation("Create the first administrator with the one-time token from the server log", permission: nil,
                                  body: "SetupRequest", security: false, responses: [
                    "201": jsonResponse("The first administrator.", schema: ref("Agent")),
                    "403": problem("Wrong setup token."),
                    "409": problem("Setup is already complete."),
                ]),
            ],
            "/api/tokens": [
                "get": operation("Your personal API tokens", permission: nil, responses: ["200": jsonResponse("Newest first, revoked ones included.", schema: array("APIToken"))]),
                "post": operation("Create a personal API token, optionally expiring, read-only or limited to some of your permissions", permission: nil, body: "CreateTokenRequest", responses: [
                    "201": jsonResponse("The token; its secret is shown only now.", schema: ref("CreatedAPIToken")),
                    "409": problem("You hold the maximum number of tokens."),
                ]),
            ],
            "/api/tokens/{id}": [
                "parameters": [id],
                "delete": operation("Revoke an API token (yours, or anyone's with users.manage)", permission: nil, responses: ["204": noContent, "404": problem("No such token.")]),
            ],
            "/api/agents": [
                "get": operation("Every agent", permission: nil, responses: ["200": jsonResponse("Agents by name.", schema: array("Agent"))]),
                "post": operation("Add an agent", permission: "users.manage", body: "CreateAgentRequest", responses: [
                    "201": jsonResponse("The new agent.", schema: ref("Agent")), "409": problem("The email is taken."),
                ]),
            ],
            "/api/agents/{id}": [
                "parameters": [id],
                "get": operation("One agent", permission: nil, responses: ["200": jsonResponse("The agent.", schema: ref("Agent")), "404": problem("No such agent.")]),
                "patch": operation("Change an agent (your own name and away flag without users.manage)", permission: nil, body: "UpdateAgentRequest", responses: [
                    "200": jsonResponse("The agent as changed.", schema: ref("Agent")), "404": problem("No such agent."),
                    "409": problem("The email is taken."),
                ]),
            ],
            "/api/agents/{id}/password": [
                "parameters": [id],
                "put": operation("Set a password (your own with currentPassword, anyone's with users.manage whose role grants nothing you lack); ends that agent's sessions and clears their sign-in delays",
                                 permission: nil, body: "PasswordRequest", responses: [
                    "204": noContent, "404": problem("No such agent."),
                    "429": problem("Too many password checks, or the server is busy checking passwords; see Retry-After."),
                ]),
            ],
            "/api/agents/{id}/tokens": [
                "parameters": [id],
                "get": operation("An agent's API tokens with their last use (yours, or with users.manage an agent whose role grants nothing you lack)",
                                 permission: nil, responses: ["200": jsonResponse("Newest first, revoked and expired ones included.", schema: array("APIToken")),
                                                              "404": problem("No such agent.")]),
            ],
            "/api/roles": [
                "get": operation("Every role", permission: "roles.manage", responses: ["200": jsonResponse("Roles by id.", schema: array("Role"))]),
                "post": operation("Create a role", permission: "roles.manage", body: "CreateRoleRequest", responses: [
                    "201": jsonResponse("The new role.", schema: ref("Role")), "409": problem("The name is taken."),
                ]),
            ],
            "/api/roles/{id}": [
                "parameters": [id],
                "patch": operation("Rename a role or replace its permissions (Administrator keeps every permission)", permission: "roles.manage",
                                   body: "UpdateRoleRequest", responses: [
                    "200": jsonResponse("The role as changed.", schema: ref("Role")), "404": problem("No such role."), "409": problem("The name is taken."),
                ]),
                "delete": operation("Delete a custom role nobody holds", permission: "roles.manage", responses: [
                    "204": noContent, "404": problem("No such role."), "409": problem("Agents still hold the role."),
                ]),
            ],
            "/api/permissions": [
                "get": operation("Every permission with its description", permission: nil, responses: ["200": jsonResponse("Permissions.", schema: array("PermissionInfo"))]),
            ],
            "/api/account": [
                "get": operation("The account name and logo link", permission: nil, responses: ["200": jsonResponse("Account settings.", schema: ref("Account"))]),
                "patch": operation("Rename the account", permission: "account.manage", body: "UpdateAccountRequest", responses: [
                    "200": jsonResponse("Account settings.", schema: ref("Account")),
                ]),
            ],
            "/api/account/logo": [
                "get": operation("The logo image", permission: nil, responses: [
                    "200": ["description": "The image, with X-Content-Type-Options: nosniff.", "content": logoContent],
                    "404": problem("No logo has been uploaded."),
                ]),
                "put": [
                    "summary": "Upload the logo as the raw body (PNG, JPEG or WebP up to 512 KB; SVG refused)",
                    "x-permission": "account.manage",
                    "requestBody": ["required": true, "content": logoContent, "x-field": "logo"],
                    "responses": authErrors.merging([
                        "200": jsonResponse("Account settings.", schema: ref("Account")),
                        "413": problem("Larger than 512 KB."), "422": problem("Not a PNG, JPEG or WebP image matching its Content-Type."),
                    ]) { a, _ in a },
                ],
            ],
        ],
        schemas: accountSchemas)
    }

    static var logoContent: [String: Any] {
        let binary: [String: Any] = ["schema": ["type": "string", "contentMediaType": "application/octet-stream"]]
        return ["image/png": binary, "image/jpeg": binary, "image/webp": binary]
    }

    private static func array(_ schema: String) -> [String: Any] { ["type": "array", "items": ref(schema)] }

    /// An operation: a JSON request body named `body` (with its 400/415/422 answers), the
    /// auth errors unless `security` is false, and `x-permission` naming what is checked.
    static func operation(_ summary: String, permission: String?, body: String? = nil, security: Bool = true,
                          responses: [String: Any]) -> [String: Any] {
        var all = responses
        var result: [String: Any] = ["summary": summary]
        if security {
            all.merge(authErrors) { mine, _ in mine }
            result["x-permission"] = permission ?? "any signed-in agent"
        } else {
            result["security"] = [[String: Any]]()
        }
        if let body {
            result["requestBody"] = ["required": true, "content": ["application/json": ["schema": ref(body)]]]
            all.merge([
                "400": problem("The body is not valid JSON."),
                "415": problem("The body is not application/json."),
                "422": problem("A field is missing, has the wrong type or an invalid value; `field` names it."),
            ]) { mine, _ in mine }
        }
        result["responses"] = all
        return result
    }
}
