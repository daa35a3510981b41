import Tickets
extension OpenAPIDocument {
    /// Component schemas of the account routes, matching `AccountBodies.swift` and the
    /// request types beside each route.
    static var accountSchemas: [String: Any] {
        let dateTime: [String: Any] = ["type": "string", "format": "date-time"]
        let permissionNames: [String: Any] = ["type": "array", "items": ["type": "string", "enum": Permission.allCases.map(\.rawValue)]]
        return [
            "Agent": object(required: ["id", "name", "email", "roleID", "role", "active", "away", "createdAt"], [
                "id": integer, "name": string, "email": ["type": "string", "format": "email"],
                "roleID": integer, "role": ["type": "string", "description": "The role's name."],
                "active": boolean, "away": boolean, "createdAt": dateTime,
            ]),
            "Session": object(required: ["agent", "permissions"], [
                "agent": ref("Agent"), "permissions": permissionNames,
                "csrfToken": ["type": "string", "description": "Send as X-CSRF-Token on unsafe requests. Absent for bearer-token callers."],
            ]),
            "APIToken": object(required: ["id", "name", "prefix", "createdAt"], [
                "id": integer, "name": string, "prefix": ["type": "string", "description": "The first characters, to recognise it."],
                "createdAt": dateTime, "lastUsedAt": dateTime, "revokedAt": dateTime,
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
                "logoURL": ["type": "string", "description": "Where the logo is served; absent without a logo."],
                "logoContentType": ["type": "string", "enum": ["image/png", "image/jpeg", "image/webp"]],
            ]),
            "LoginRequest": object(required: ["email", "password"], ["email": string, "password": string]),
            "SetupRequest": object(required: ["token", "name", "email", "password"], [
                "token": ["type": "string", "description": "The one-time token from the server log."],
                "name": string, "email": string, "password": ["type": "string", "minLength": 8],
            ]),
            "CreateAgentRequest": object(required: ["name", "email", "password", "roleID"], [
                "name": string, "email": string, "password": ["type": "string", "minLength": 8], "roleID": integer,
            ]),
            "UpdateAgentRequest": object(required: [], [
                "name": string, "email": string, "roleID": integer, "active": boolean, "away": boolean,
            ]),
            "PasswordRequest": object(required: ["password"], [
                "currentPassword": ["type": "string", "description": "Required when changing your own password."],
                "password": ["type": "string", "minLength": 8],
            ]),
            "CreateTokenRequest": object(required: ["name"], ["name": string]),
            "CreateRoleRequest": object(required: ["name", "permissions"], ["name": string, "permissions": permissionNames]),
            "UpdateRoleRequest": object(required: [], ["name": string, "permissions": permissionNames]),
            "UpdateAccountRequest": object(required: ["name"], ["name": string]),
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
