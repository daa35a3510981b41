import Foundation
import Realtime
import Tickets

/// `/api/account`: the account name (any agent reads, account.manage changes) and its logo,
/// uploaded as the raw request body and served back with headers that keep browsers from
/// treating it as anything but an image.
enum AccountSettingsRoutes {
    struct UpdateRequest: Decodable {
        let name: String
    }

    static func register(_ routes: APIRoutes) {
        let settings = AccountSettingsService(database: routes.services.database, now: routes.services.now)
        routes.api(.get, "/api/account", permission: nil) { _ in
            try JSONBody.response(AccountBody(try await settings.settings()))
        }
        routes.api(.patch, "/api/account", permission: .accountManage) { request in
            let body = try request.decode(UpdateRequest.self)
            return try JSONBody.response(AccountBody(try await settings.rename(to: body.name, by: request.actor)))
        }
        routes.api(.put, "/api/account/logo", permission: .accountManage) { request in
            let type = request.http.headers["Content-Type"] ?? ""
            return try JSONBody.response(AccountBody(try await settings.setLogo(request.http.body, declaredType: type, by: request.actor)))
        }
        routes.api(.get, "/api/account/logo", permission: nil) { _ in
            guard let logo = try await settings.logo() else { throw ProblemError.notFound("No logo has been uploaded.") }
            return logoResponse(logo)
        }
    }

    /// The logo with safe headers: its sniffed raster type, no sniffing by the browser, and
    /// a sandboxing CSP in case it is ever opened directly.
    static func logoResponse(_ logo: AccountLogo) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", logo.contentType)
        headers.add("X-Content-Type-Options", "nosniff")
        headers.add("Content-Security-Policy", "default-src 'none'; sandbox")
        headers.add("Content-Disposition", "inline; filename=\"logo\"")
        headers.add("Cache-Control", "private, max-age=300")
        return HTTPResponse(status: .ok, headers: headers, body: .bytes(logo.bytes))
    }
}
