import Foundation
import Testing

@testable import JobMatchCore

/// Symbols from the QR encoder, drawn to PNG files and read by an independent decoder (zxing-cpp):
/// every length from 1 to 213 bytes (versions 1-10), every mask in every version, and UTF-8 text.
@Suite("QR codes read back by zxing-cpp")
struct QRCodeDecodeTests {
    /// Bytes of every value, the same on every run (a linear congruential sequence).
    static func bytes(_ count: Int, seed: UInt32) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test(
        "every length from 1 to 213 bytes, every mask of every version, a verification address and Vietnamese text decode to the bytes given, at level M"
    )
    func decodesWhatWasEncoded() async throws {
        // setup
        var inputs: [[UInt8]] = (1...213).map { Self.bytes($0, seed: UInt32($0)) }
        inputs.append(Array("https://vieclam.haugiang.gov.vn/letters/7K3M9QX2TB".utf8))
        inputs.append(Array("Giấy giới thiệu: Nguyễn Thị Ánh, Thợ may, Phường Vị Thanh".utf8))
        var codes = try inputs.map { try QRCode(bytes: $0) }
        var expected = inputs
        for number in QRVersion.supported {
            let version = QRVersion(number)!
            let message = Self.bytes(version.byteCapacity - 3, seed: UInt32(100 + number))
            for mask in QRMask.all {
                codes.append(try QRCode(bytes: message, version: version, mask: mask))
                expected.append(message)
            }
        }
        // the lengths reach every version
        #expect(Set(codes.map(\.version.number)) == Set(QRVersion.supported))
        // act
        let readings = try await QRDecoder.decode(codes)
        // verify
        #expect(readings.count == codes.count)
        for (index, reading) in readings.enumerated() {
            let code = codes[index]
            #expect(reading.error == nil, "version \(code.version.number) mask \(code.mask), \(expected[index].count) bytes: \(reading.error ?? "")")
            #expect(reading.bytes == Self.hex(expected[index]), "version \(code.version.number) mask \(code.mask), \(expected[index].count) bytes")
            #expect(reading.ecLevel == "M", "version \(code.version.number): \(reading.ecLevel ?? "none")")
        }
    }
}
