/// A QR code (ISO/IEC 18004) of some bytes: byte mode, error-correction level M, the smallest of
/// versions 1 ... 10 that holds them, and the mask with the lowest penalty of the eight.
public struct QRCode: Sendable {
    /// More bytes than version 10 at level M holds (213).
    public struct TooLong: Error, CustomStringConvertible {
        public let count: Int
        public var description: String { "\(self.count) bytes do not fit a QR code up to version 10 at level M" }
    }

    public let version: QRVersion
    /// The mask chosen, 0 ... 7.
    public let mask: Int
    /// Dark modules, row by row (`size` x `size`, without the quiet zone).
    public let modules: [Bool]

    public var size: Int { self.version.size }

    /// The code of `text`'s UTF-8 bytes.
    public init(text: String) throws(TooLong) { try self.init(bytes: Array(text.utf8)) }

    /// The code of `bytes`, in the smallest version that holds them; with `version` or `mask`, that one.
    public init(bytes: [UInt8], version: QRVersion? = nil, mask: Int? = nil) throws(TooLong) {
        guard let chosen = version ?? QRVersion.smallest(holding: bytes.count), bytes.count <= chosen.byteCapacity else {
            throw TooLong(count: bytes.count)
        }
        var matrix = QRMatrix(version: chosen)
        matrix.place(Self.codewords(Self.dataCodewords(bytes, version: chosen), version: chosen))
        var best = (mask: 0, penalty: Int.max)
        for candidate in mask.map({ [$0] }) ?? Array(QRMask.all) {
            matrix.apply(mask: candidate)
            matrix.drawFormat(mask: candidate)
            let penalty = QRPenalty.score(matrix.dark, size: matrix.size)
            if penalty < best.penalty { best = (candidate, penalty) }
            matrix.apply(mask: candidate)  // undone for the next
        }
        matrix.apply(mask: best.mask)
        matrix.drawFormat(mask: best.mask)
        self.version = chosen
        self.mask = best.mask
        self.modules = matrix.dark
    }

    /// Whether the module at `row`, `column` is dark.
    public subscript(row: Int, column: Int) -> Bool { self.modules[row * self.size + column] }

    /// The data codewords: mode 0100, the count, the bytes, up to four zero bits of terminator, zeros
    /// to the byte, then the pad bytes 0xEC 0x11 in turn up to the version's data capacity.
    static func dataCodewords(_ bytes: [UInt8], version: QRVersion) -> [UInt8] {
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: version.countBits)
        for byte in bytes { bits.append(Int(byte), count: 8) }
        let capacity = version.dataCodewords * 8
        bits.append(0, count: min(4, capacity - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        var pad: UInt8 = 0xEC
        while codewords.count < version.dataCodewords {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    /// The data split into the version's blocks (the later ones one codeword longer when it does not
    /// divide evenly), each block's error correction added, and both interleaved block by block.
    static func codewords(_ data: [UInt8], version: QRVersion) -> [UInt8] {
        let blocks = version.blocks
        let ecLength = version.ecCodewordsPerBlock
        let shortBlocks = blocks - version.totalCodewords % blocks
        let shortDataLength = version.totalCodewords / blocks - ecLength
        let coder = ReedSolomon(degree: ecLength)
        var dataBlocks: [ArraySlice<UInt8>] = []
        var ecBlocks: [[UInt8]] = []
        var start = 0
        for index in 0..<blocks {
            let length = shortDataLength + (index < shortBlocks ? 0 : 1)
            let block = data[start..<(start + length)]
            dataBlocks.append(block)
            ecBlocks.append(coder.remainder(of: block))
            start += length
        }
        var result: [UInt8] = []
        for column in 0...shortDataLength {
            for block in dataBlocks where column < block.count { result.append(block[block.startIndex + column]) }
        }
        for column in 0..<ecLength {
            for block in ecBlocks { result.append(block[column]) }
        }
        return result
    }
}
