/// A QR code version from 1 to 10 at error-correction level M (about 15% of the codewords
/// recoverable): its size, its codewords and how they are split into Reed-Solomon blocks, and where
/// its alignment patterns sit (ISO/IEC 18004 tables 7, 9 and E.1).
public struct QRVersion: Sendable, Equatable {
    /// 1 ... 10.
    public let number: Int

    /// Error-correction codewords per block and blocks, level M, versions 1 ... 10.
    static let levelM: [(ecPerBlock: Int, blocks: Int)] = [
        (10, 1), (16, 1), (26, 1), (18, 2), (24, 2), (16, 4), (18, 4), (22, 4), (22, 5), (26, 5),
    ]

    /// The versions this encoder makes.
    public static let supported = 1...10

    public init?(_ number: Int) {
        guard Self.supported.contains(number) else { return nil }
        self.number = number
    }

    /// Modules on a side: 21 for version 1, four more for each version after.
    public var size: Int { 17 + 4 * self.number }

    /// Error-correction codewords in each block.
    var ecCodewordsPerBlock: Int { Self.levelM[self.number - 1].ecPerBlock }

    /// Reed-Solomon blocks the codewords are split into.
    var blocks: Int { Self.levelM[self.number - 1].blocks }

    /// Modules left for codewords once the function patterns and format and version areas are drawn.
    var dataModules: Int {
        let n = self.number
        var modules = (16 * n + 128) * n + 64
        if n >= 2 {
            let alignments = n / 7 + 2
            modules -= (25 * alignments - 10) * alignments - 55
            if n >= 7 { modules -= 36 }
        }
        return modules
    }

    /// All codewords, data and error correction (the leftover 0-7 modules are remainder bits).
    var totalCodewords: Int { self.dataModules / 8 }

    /// Codewords that carry data.
    var dataCodewords: Int { self.totalCodewords - self.ecCodewordsPerBlock * self.blocks }

    /// Bits of the character count in byte mode: 8 up to version 9, 16 from version 10.
    var countBits: Int { self.number < 10 ? 8 : 16 }

    /// Bytes that fit in byte mode (after the 4-bit mode and the count).
    public var byteCapacity: Int { (self.dataCodewords * 8 - 4 - self.countBits) / 8 }

    /// Row and column of each alignment pattern's centre (empty for version 1).
    var alignmentCenters: [Int] {
        let n = self.number
        guard n >= 2 else { return [] }
        let count = n / 7 + 2
        let last = self.size - 7
        // Evenly spaced back from the last, on even coordinates; the first is always 6.
        let step = (n * 8 + count * 3 + 5) / (count * 4 - 4) * 2
        return [6] + (0..<(count - 1)).reversed().map { last - $0 * step }
    }

    /// The smallest version whose byte capacity holds `count` bytes, or nil when none up to 10 does.
    public static func smallest(holding count: Int) -> QRVersion? {
        Self.supported.lazy.compactMap(QRVersion.init).first { $0.byteCapacity >= count }
    }
}
