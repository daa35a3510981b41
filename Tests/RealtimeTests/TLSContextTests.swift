import Foundation
import Testing
@testable import Realtime

/// Certificates made with the openssl command in a temporary folder.
final class TestCertificates {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// A self-signed EC certificate `name.pem` with key `name.key` and the given serial.
    func make(_ name: String, serial: String) throws {
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                     "-subj", "/CN=127.0.0.1", "-set_serial", serial, "-keyout", path("\(name).key"), "-out", path("\(name).pem")])
    }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}

@Suite struct TLSContextTests {
    @Test func aCertificateAndItsKeyLoadAndReportTheirSerial() throws {
        let certs = try TestCertificates()
        try certs.make("a", serial: "0x1001")
        let context = try TLSContext(TLSConfiguration(certificateChainPath: certs.path("a.pem"), privateKeyPath: certs.path("a.key")))
        let info = context.certificate.withLock { $0 }
        #expect(info.serial == "1001")
        #expect(info.subject == "/CN=127.0.0.1")
    }

    @Test func aKeyThatDoesNotMatchTheCertificateIsRefusedNamingTheFile() throws {
        let certs = try TestCertificates()
        try certs.make("a", serial: "0x1")
        try certs.make("b", serial: "0x2")
        #expect {
            try TLSContext(TLSConfiguration(certificateChainPath: certs.path("a.pem"), privateKeyPath: certs.path("b.key")))
        } throws: { error in
            "\(error)".contains("b.key")
        }
    }

    @Test func aMissingFileIsRefusedNamingIt() throws {
        #expect {
            try TLSContext(TLSConfiguration(certificateChainPath: "/nonexistent/cert.pem", privateKeyPath: "/nonexistent/key.pem"))
        } throws: { error in
            "\(error)".contains("cannot load the certificate chain from /nonexistent/cert.pem")
        }
    }

    @Test func reloadSwapsTheCertificateAndAFailedReloadKeepsTheCurrentOne() throws {
        let certs = try TestCertificates()
        try certs.make("a", serial: "0x1001")
        try certs.make("b", serial: "0x2002")
        try FileManager.default.copyItem(atPath: certs.path("a.pem"), toPath: certs.path("live.pem"))
        try FileManager.default.copyItem(atPath: certs.path("a.key"), toPath: certs.path("live.key"))
        let context = try TLSContext(TLSConfiguration(certificateChainPath: certs.path("live.pem"), privateKeyPath: certs.path("live.key")))
        for name in ["pem", "key"] {
            try FileManager.default.removeItem(atPath: certs.path("live.\(name)"))
            try FileManager.default.copyItem(atPath: certs.path("b.\(name)"), toPath: certs.path("live.\(name)"))
        }
        #expect(try context.reload().serial == "2002")
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: certs.path("live.pem")))
        #expect(throws: TLSError.self) { try context.reload() }
        #expect(context.certificate.withLock { $0 }.serial == "2002")
    }
}
