import Foundation

/// The account's name and whether it has a logo (the logo bytes are fetched separately).
public struct AccountSettings: Sendable, Equatable {
    public let name: String
    /// The logo's media type (`image/png`, `image/jpeg`, `image/webp`), nil without a logo.
    public let logoContentType: String?
    public let updatedAt: Date
}

/// A stored logo: raster bytes and their sniffed media type.
public struct AccountLogo: Sendable, Equatable {
    public let bytes: [UInt8]
    public let contentType: String
}

/// The account's name and logo, changed with `account.manage` and audited.
public final class AccountSettingsService: Sendable {
    /// Logos above this are refused: a header image needs far less, and it is served often.
    public static let maxLogoBytes = 512 * 1024
    let database: Database
    let now: Clock

    public init(database: Database, now: @escaping Clock) {
        self.database = database
        self.now = now
    }

    /// The current settings.
    public func settings() async throws -> AccountSettings {
        try await database.read { try AccountSettingsRecord.load($0) }
    }

    /// Renames the account. Throws `.forbidden` without `account.manage`, `.validation` (name).
    public func rename(to rawName: String, by actor: Actor) async throws -> AccountSettings {
        try require(.accountManage, for: actor)
        let name = try AccountService.validName(rawName)
        let at = now()
        return try await database.write { db in
            let before = try AccountSettingsRecord.load(db)
            try AccountSettingsRecord.rename(to: name, at: at, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .accountUpdated,
                                before: ["name": .string(before.name)], after: ["name": .string(name)], at: at)
            return try AccountSettingsRecord.load(db)
        }
    }

    /// Replaces the logo with `bytes` declared as `declaredType`. The bytes must be a PNG,
    /// JPEG or WebP image whose signature matches the declared type, up to `maxLogoBytes`.
    /// Throws `.forbidden`, `.tooLarge`, `.validation` (field `logo`).
    public func setLogo(_ bytes: [UInt8], declaredType: String, by actor: Actor) async throws -> AccountSettings {
        try require(.accountManage, for: actor)
        guard bytes.count <= Self.maxLogoBytes else {
            throw DomainError(.tooLarge, "The logo may be at most \(Self.maxLogoBytes / 1024) KB.", field: "logo")
        }
        let declared = declaredType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let sniffed = ImageType.sniff(bytes), sniffed.mediaType == declared else {
            throw DomainError.validation("logo", "Upload a PNG, JPEG or WebP image with its matching Content-Type.")
        }
        let at = now()
        return try await database.write { db in
            try AccountSettingsRecord.setLogo(bytes, contentType: sniffed.mediaType, at: at, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .accountUpdated, before: nil,
                                after: ["logo": .string(sniffed.mediaType), "logoBytes": .int(Int64(bytes.count))], at: at)
            return try AccountSettingsRecord.load(db)
        }
    }

    /// The logo, or nil when none was uploaded.
    public func logo() async throws -> AccountLogo? {
        try await database.read { db in try AccountSettingsRecord.logo(db) }
    }
}

/// The raster image formats a logo may be, recognised by their leading bytes.
public enum ImageType: Sendable, Equatable {
    case png, jpeg, webp

    /// The IANA media type.
    public var mediaType: String {
        switch self {
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .webp: "image/webp"
        }
    }

    /// The format whose signature starts `bytes`, or nil (SVG, HTML and everything else).
    public static func sniff(_ bytes: [UInt8]) -> ImageType? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        // RIFF....WEBP
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) { return .webp }
        return nil
    }
}
