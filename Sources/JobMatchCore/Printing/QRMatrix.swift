/// The grid of a QR code while it is drawn: the function patterns (finders, separators, timing,
/// alignment, format and version areas, the dark module), then the codewords in the zigzag order,
/// then a mask over the data modules only.
struct QRMatrix: Sendable {
    let size: Int
    /// Dark modules, row by row.
    private(set) var dark: [Bool]
    /// Modules of the function patterns, which the codewords and the masks leave alone.
    private(set) var isFunction: [Bool]

    /// The empty grid of `version` with its function patterns drawn (the format area still blank).
    init(version: QRVersion) {
        self.size = version.size
        self.dark = Array(repeating: false, count: version.size * version.size)
        self.isFunction = self.dark
        for index in 0..<self.size {
            self.setFunction(row: 6, column: index, dark: index % 2 == 0)
            self.setFunction(row: index, column: 6, dark: index % 2 == 0)
        }
        for (row, column) in [(3, 3), (3, self.size - 4), (self.size - 4, 3)] { self.drawFinder(row: row, column: column) }
        let centers = version.alignmentCenters
        for (i, row) in centers.enumerated() {
            for (j, column) in centers.enumerated() {
                // Not over the three finders.
                let last = centers.count - 1
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                self.drawAlignment(row: row, column: column)
            }
        }
        self.drawFormat(mask: 0)  // reserves the area; drawn again with the chosen mask
        if version.number >= 7 { self.drawVersion(version.number) }
    }

    /// Whether the module at `row`, `column` is dark.
    subscript(row: Int, column: Int) -> Bool { self.dark[row * self.size + column] }

    /// The format bits for `mask`, in both copies, and the dark module beside the lower-left finder.
    mutating func drawFormat(mask: Int) {
        let bits = QRFormatBits.format(mask: mask)
        let bit = { (index: Int) in (bits >> index) & 1 == 1 }
        for index in 0...5 { self.setFunction(row: index, column: 8, dark: bit(index)) }
        self.setFunction(row: 7, column: 8, dark: bit(6))
        self.setFunction(row: 8, column: 8, dark: bit(7))
        self.setFunction(row: 8, column: 7, dark: bit(8))
        for index in 9..<15 { self.setFunction(row: 8, column: 14 - index, dark: bit(index)) }
        for index in 0..<8 { self.setFunction(row: 8, column: self.size - 1 - index, dark: bit(index)) }
        for index in 8..<15 { self.setFunction(row: self.size - 15 + index, column: 8, dark: bit(index)) }
        self.setFunction(row: self.size - 8, column: 8, dark: true)
    }

    /// The codewords' bits in the zigzag order: two-module columns from the right, up then down,
    /// skipping the vertical timing column and every function module.
    mutating func place(_ codewords: [UInt8]) {
        var bitIndex = 0
        let bitCount = codewords.count * 8
        var right = self.size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = ((right + 1) & 2) == 0
            for step in 0..<self.size {
                let row = upward ? self.size - 1 - step : step
                for column in [right, right - 1] where !self.isFunction[row * self.size + column] && bitIndex < bitCount {
                    self.dark[row * self.size + column] = (codewords[bitIndex >> 3] >> (7 - (bitIndex & 7))) & 1 == 1
                    bitIndex += 1
                }
            }
            right -= 2
        }
    }

    /// Inverts the data modules where `mask` says (applying it twice undoes it).
    mutating func apply(mask: Int) {
        for row in 0..<self.size {
            for column in 0..<self.size where !self.isFunction[row * self.size + column] && QRMask.inverts(mask, row: row, column: column) {
                self.dark[row * self.size + column].toggle()
            }
        }
    }

    private mutating func setFunction(row: Int, column: Int, dark: Bool) {
        self.dark[row * self.size + column] = dark
        self.isFunction[row * self.size + column] = true
    }

    /// A finder (7x7 rings) centred at `row`, `column`, with its light separator where it fits.
    private mutating func drawFinder(row: Int, column: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let (r, c) = (row + dy, column + dx)
                guard (0..<self.size).contains(r), (0..<self.size).contains(c) else { continue }
                let distance = max(abs(dx), abs(dy))
                self.setFunction(row: r, column: c, dark: distance != 2 && distance != 4)
            }
        }
    }

    /// An alignment pattern (5x5 rings) centred at `row`, `column`.
    private mutating func drawAlignment(row: Int, column: Int) {
        for dy in -2...2 {
            for dx in -2...2 { self.setFunction(row: row + dy, column: column + dx, dark: max(abs(dx), abs(dy)) != 1) }
        }
    }

    /// The version bits in their two 6x3 blocks, beside the upper-right and lower-left finders.
    private mutating func drawVersion(_ version: Int) {
        let bits = QRFormatBits.version(version)
        for index in 0..<18 {
            let dark = (bits >> index) & 1 == 1
            let (a, b) = (self.size - 11 + index % 3, index / 3)
            self.setFunction(row: b, column: a, dark: dark)
            self.setFunction(row: a, column: b, dark: dark)
        }
    }
}
