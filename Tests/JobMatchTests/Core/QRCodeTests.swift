import Testing

@testable import JobMatchCore

/// The QR encoder's parts against the standard's published values, and whole symbols read back by
/// an independent decoder (zxing-cpp).
@Suite("QR code encoder")
struct QRCodeTests {
    @Test("Reed-Solomon gives the standard's worked example: HELLO WORLD at 1-M")
    func reedSolomon() {
        // setup: the data codewords of "HELLO WORLD" (alphanumeric) in version 1-M, with its padding
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        // act
        let ec = ReedSolomon(degree: 10).remainder(of: data)
        // verify
        #expect(ec == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
        #expect(GaloisField256.multiply(0x80, 2) == 0x1D, "x^8 reduces by 0x11D")
    }

    @Test("format bits for level M and each mask, and version bits for 7-10, are the standard's table")
    func formatAndVersionBits() {
        let levelM = [
            0b1010100_00010010, 0b1010001_00100101, 0b1011110_01111100, 0b1011011_01001011,
            0b1000101_11111001, 0b1000000_11001110, 0b1001111_10010111, 0b1001010_10100000,
        ]
        #expect(QRMask.all.map { QRFormatBits.format(mask: $0) } == levelM)
        #expect((7...10).map(QRFormatBits.version) == [0x07C94, 0x085BC, 0x09A99, 0x0A4D3])
    }

    @Test("versions 1-10 at level M: codewords, byte capacity and alignment pattern centres as tabulated")
    func versions() {
        let versions = QRVersion.supported.compactMap(QRVersion.init)
        #expect(versions.map(\.totalCodewords) == [26, 44, 70, 100, 134, 172, 196, 242, 292, 346])
        #expect(versions.map(\.dataCodewords) == [16, 28, 44, 64, 86, 108, 124, 154, 182, 216])
        #expect(versions.map(\.byteCapacity) == [14, 26, 42, 62, 84, 106, 122, 152, 180, 213])
        #expect(
            versions.map(\.alignmentCenters) == [
                [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
            ]
        )
        #expect(QRVersion.smallest(holding: 14)?.number == 1 && QRVersion.smallest(holding: 15)?.number == 2)
        #expect(QRVersion.smallest(holding: 213)?.number == 10 && QRVersion.smallest(holding: 214) == nil)
        #expect(QRVersion(0) == nil && QRVersion(11) == nil)
    }

    @Test("byte-mode data codewords: mode, count, bytes, terminator, then the pad bytes 0xEC 0x11")
    func dataCodewords() {
        let one = QRVersion(1)!
        // "AB" = 0x41 0x42: 0100 00000010 01000001 01000010 0000, then pads
        #expect(
            QRCode.dataCodewords(Array("AB".utf8), version: one) == [0x40, 0x24, 0x14, 0x20] + [
                0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11,
            ]
        )
        // version 10 counts in 16 bits: 0100 0000000000000001 11111111 0000
        let ten = QRCode.dataCodewords([0xFF], version: QRVersion(10)!)
        #expect(Array(ten.prefix(4)) == [0x40, 0x00, 0x1F, 0xF0] && ten.count == 216)
        // a full version 1: no room for padding, the terminator cut short
        #expect(QRCode.dataCodewords(Array(repeating: 0x61, count: 14), version: one).count == 16)
    }

    @Test("a symbol has its finders, timing patterns and dark module, and its format bits say level M and the mask chosen")
    func structure() throws {
        for text in ["A", "https://vieclam.example.vn/letters/7K3M9QX2TB", String(repeating: "x", count: 200)] {
            let code = try QRCode(text: text)
            let n = code.size
            for (row, column) in [(0, 0), (0, n - 7), (n - 7, 0)] {
                #expect((0..<7).allSatisfy { code[row, column + $0] && code[row + 6, column + $0] && code[row + $0, column] })
                #expect((2...4).allSatisfy { r in (2...4).allSatisfy { c in code[row + r, column + c] } })
                #expect(!code[row + 1, column + 1])
            }
            #expect((8..<(n - 8)).allSatisfy { code[6, $0] == ($0 % 2 == 0) && code[$0, 6] == ($0 % 2 == 0) })
            #expect(code[n - 8, 8])
            // the first copy of the format bits, read back
            var bits = 0
            for index in 0...5 where code[index, 8] { bits |= 1 << index }
            if code[7, 8] { bits |= 1 << 6 }
            if code[8, 8] { bits |= 1 << 7 }
            if code[8, 7] { bits |= 1 << 8 }
            for index in 9..<15 where code[8, 14 - index] { bits |= 1 << index }
            #expect(bits == QRFormatBits.format(mask: code.mask))
        }
        #expect(throws: QRCode.TooLong.self) { try QRCode(text: String(repeating: "x", count: 214)) }
    }

    @Test("the mask chosen has the lowest penalty of the eight")
    func maskChoice() throws {
        let bytes = Array("https://vieclam.example.vn/letters/ABCDE12345".utf8)
        let chosen = try QRCode(bytes: bytes)
        for mask in QRMask.all {
            let other = try QRCode(bytes: bytes, mask: mask)
            #expect(other.mask == mask)
            #expect(QRPenalty.score(chosen.modules, size: chosen.size) <= QRPenalty.score(other.modules, size: other.size), "mask \(mask)")
        }
    }

    @Test("the penalty rules: runs, 2x2 blocks and finder-like runs on a line")
    func penaltyRules() {
        #expect(QRPenalty.runs([true, true, true, true]) == 0)
        #expect(QRPenalty.runs([true, true, true, true, true]) == 3)
        #expect(QRPenalty.runs([false, true, true, true, true, true, true, true, false]) == 5)
        let finder = [true, false, true, true, true, false, true]
        #expect(QRPenalty.finderLike(finder + [false, false, false, false]) == 40)
        #expect(QRPenalty.finderLike([true, true, true, true, true] + finder + [true, true, true, true]) == 0)
        #expect(QRPenalty.finderLike(finder) == 40, "the edges count as light, like the quiet zone")
    }

    @Test("the SVG draws every dark module inside a four-module quiet zone, with no script and the label escaped")
    func svg() throws {
        let code = try QRCode(text: "https://vieclam.example.vn/letters/ABCDE12345")
        let svg = code.svg(label: "Mã QR <kiểm tra> \"giấy\"")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(code.size + 8) \(code.size + 8)\""))
        #expect(svg.contains("aria-label=\"Mã QR &lt;kiểm tra&gt; &quot;giấy&quot;\""))
        #expect(!svg.contains("<script"))
        // the path's runs cover exactly the dark modules
        var drawn = 0
        let path = svg.split(separator: "d=\"")[1].split(separator: "\"")[0]
        for run in path.split(separator: "M").map(String.init) {
            let length = Int(run.split(separator: "h")[1].split(separator: "v")[0])!
            drawn += length
        }
        #expect(drawn == code.modules.filter { $0 }.count)
    }
}
