import Tickets
extension OpenAPIDocument {
    /// Component schemas of the account routes, matching `AccountBodies.swift` and the
    /// request types beside each route.
    static var accountSchemas: [String: Any] {
        let dateTime: [String: Any] = ["type": "string", "format": "date-time"]
        let optionalDateTime: [String: Any] = ["type": ["string", "null"], "format": "date-time"]
        let permissionNames: [String: Any] = ["type": "array", "maxItems": Permission.allCases.count * 4,
                                              "items": ["type": "string", "enum": Permission.allCases.map(\.rawValue)]]
        let name: [String: Any] = ["type": "string", "minLength": 1, "maxLength": FieldLimits.name]
        let email: [String: Any] = ["type": "string", "maxLength": FieldLimits.email]
        let newPassword: [String: Any] = [
            "type": "string", "minLength": PasswordPolicy.minLength, "maxLength": FieldLimits.newPassword,
            "description": "At least \(PasswordPolicy.minLength) characters (at most \(FieldLimits.newPassword) bytes), not a common password (a list of about 10,000 is checked, also with trailing digits and symbols removed), not containing the email's name.",
        ]
        let presentedPassword: [String: Any] = ["type": "string", "maxLength": FieldLimits.presentedPassword]
        return [
            "Agent": object(required: ["id", "name", "email", "roleId", "role", "active", "away", "createdAt"], [
                "id": integer, "name": string, "email": ["type": "string", "format": "email"],
                "roleId": integer, "role": ["type": "string", "description": "The role's name."],
                "active": boolean, "away": boolean, "createdAt": dateTime,
            ]),
            "Session": object(required: ["agent", "permissions"], [
                "agent": ref("Agent"), "permissions": permissionNames,
                "csrfToken": ["type": "string", "description": "Send as X-CSRF-Token on unsafe requests. Absent for bearer-token callers."],
            ]),
            "APIToken": object(required: ["id", "name", "prefix", "createdAt", "lastUsedAt", "revokedAt", "expiresAt", "scope", "permissions"], [
                "id": integer, "name": string, "prefix": ["type": "string", "description": "The first characters, to recognise it."],
                "createdAt": dateTime,
                "lastUsedAt": optionalDateTime.merging(["description": "Recorded at most once a minute."]) { a, _ in a },
                "revokedAt": optionalDateTime,
                "expiresAt": optionalDateTime.merging(["description": "After this the token is refused; null: until revoked."]) { a, _ in a },
                "scope": ["type": "string", "enum": ["full", "read"], "description": "read: GET only, viewing permissions only."],
                "permissions": ["type": ["array", "null"], "items": ["type": "string"],
                                "description": "The owner's permissions the token is limited to; null: all of them (read as of each request)."],
            ]),
            "CreatedAPIToken": object(required: ["token", "secret"], [
                "token": ref("APIToken"), "secret": ["type": "string", "description": "Shown once: use as Authorization: Bearer <secret>."],
            ]),
            "Role": object(required: ["id", "name", "builtIn", "permissions"], [
                "id": integer, "name": string, "builtIn": boolean, "permissions": permissionNames,
            ]),
            "PermissionInfo": object(required: ["name", "description"], ["name": string, "description": string]),
            "Account": object(required: ["name", "updatedAt"], [
                "name": string, "updatedAt": dateTime,
                "logoUrl": ["type": "string", "description": "Where the logo is served; absent without a logo."],
                "logoContentType": ["type": "string", "enum": ["image/png", "image/jpeg", "image/webp"]],
            ]),
            "LoginRequest": object(required: ["email", "password"], ["email": email, "password": presentedPassword]),
            "SetupState": object(required: ["needed"], [
                "needed": ["type": "boolean", "description": "True until the first administrator exists."],
            ]),
            "SetupRequest": object(required: ["token", "name", "email", "password"], [
                "token": ["type": "string", "description": "The one-time token from the server log."],
                "name": name, "email": email, "password": newPassword,
            ]),
            "CreateAgentRequest": object(required: ["name", "email", "password", "roleId"], [
                "name": name, "email": email, "password": newPassword,
                "roleId": ["type": "integer", "description": "A role granting nothing you do not hold yourself. The former spelling roleID is still accepted."],
            ]),
            "UpdateAgentRequest": object(required: [], [
                "name": name, "email": email,
                "roleId": ["type": "integer", "description": "A role granting nothing you do not hold yourself. The former spelling roleID is still accepted."],
                "active": ["type": "boolean", "description": "false ends the agent's sessions and revokes their API tokens."],
                "away": boolean,
            ]),
            "PasswordRequest": object(required: ["password"], [
                "currentPassword": presentedPassword.merging(["description": "Required when changing your own password; checked and throttled like a sign-in."]) { a, _ in a },
                "password": newPassword,
                "revokeApiTokens": ["type": "boolean", "description": "Also revoke the agent's API tokens (default false)."],
            ]),
            "CreateTokenRequest": object(required: ["name"], [
                "name": name,
                "expiresAt": ["type": "string", "format": "date-time", "description": "In the future; absent: until revoked."],
                "scope": ["type": "string", "enum": ["full", "read"], "description": "read: GET only, viewing permissions only (default full)."],
                "permissions": permissionNames.merging(["description": "Limit the token to these of your permissions (absent: all of them)."]) { a, _ in a },
            ]),
            "CreateRoleRequest": object(required: ["name", "permissions"], [
                "name": name, "permissions": permissionNames.merging(["description": "Only permissions you hold yourself."]) { a, _ in a },
            ]),
            "UpdateRoleRequest": object(required: [], [
                "name": name, "permissions": permissionNames.merging(["description": "Permissions added must be ones you hold yourself."]) { a, _ in a },
            ]),
            "UpdateAccountRequest": object(required: ["name"], ["name": name]),
        ]
    }

    private static var string: [String: Any] { ["type": "string"] }
    private static var integer: [String: Any] { ["type": "integer"] }
    private static var boolean: [String: Any] { ["type": "boolean"] }

    /// An object schema with `properties`, of which `required` must be present.
    static func object(required: [String], _ properties: [String: Any]) -> [String: Any] {
        ["type": "object", "required": required, "properties": properties]
    }
}
