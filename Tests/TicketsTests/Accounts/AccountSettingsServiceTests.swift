import Foundation
import Testing
@testable import Tickets

@Suite("AccountSettingsService")
struct AccountSettingsServiceTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]

    @Test("PNG, JPEG and WebP are recognised by their signature; SVG and HTML are not")
    func sniffing() {
        #expect(ImageType.sniff(Self.png) == .png)
        #expect(ImageType.sniff([0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(ImageType.sniff(Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == .webp)
        #expect(ImageType.sniff(Array("<svg xmlns='http://www.w3.org/2000/svg'/>".utf8)) == nil)
        #expect(ImageType.sniff(Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVE".utf8)) == nil)
        #expect(ImageType.sniff([]) == nil)
    }

    @Test("renaming needs account.manage, is audited and sets the update time")
    func rename() async throws {
        let fixture = try Fixture()
        let settings = AccountSettingsService(database: fixture.database, now: fixture.clock.clock)
        let agent = try await fixture.agent("Bo", role: .agent)
        #expect(await domainError(.forbidden) { _ = try await settings.rename(to: "X", by: agent) } != nil)
        let renamed = try await settings.rename(to: "  Acme  ", by: try await fixture.agent("Ada"))
        #expect(renamed.name == "Acme" && renamed.updatedAt == fixture.clock.now())
        #expect(try await settings.settings() == renamed)
    }

    @Test("a logo must match its declared type and stay under the size limit")
    func logo() async throws {
        let fixture = try Fixture()
        let settings = AccountSettingsService(database: fixture.database, now: fixture.clock.clock)
        let admin = try await fixture.agent("Ada")
        #expect(try await settings.logo() == nil)
        #expect(await domainError(.validation) { _ = try await settings.setLogo(Self.png, declaredType: "image/jpeg", by: admin) } != nil)
        let big = Self.png + [UInt8](repeating: 0, count: AccountSettingsService.maxLogoBytes)
        #expect(await domainError(.tooLarge) { _ = try await settings.setLogo(big, declaredType: "image/png", by: admin) } != nil)
        let saved = try await settings.setLogo(Self.png, declaredType: "image/PNG; charset=x", by: admin)
        #expect(saved.logoContentType == "image/png")
        #expect(try await settings.logo() == AccountLogo(bytes: Self.png, contentType: "image/png"))
    }
}
