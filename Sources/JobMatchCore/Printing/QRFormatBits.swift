/// The two small BCH-coded fields a reader decodes first: the format (error-correction level and
/// mask, 15 bits) and, from version 7, the version number (18 bits).
enum QRFormatBits {
    /// Level M's two-bit indicator in the format field (L is 01, M 00, Q 11, H 10).
    static let levelM = 0b00

    /// The 15 format bits for level M and `mask` (0 ... 7): BCH(15,5) with generator 0x537, masked
    /// with 0x5412 so that they are never all light.
    static func format(mask: Int) -> Int {
        precondition((0...7).contains(mask), "QR mask out of range")
        let data = Self.levelM << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        return (data << 10 | remainder) ^ 0x5412
    }

    /// The 18 version bits of `version` (7 ... 40): BCH(18,6) with generator 0x1F25.
    static func version(_ version: Int) -> Int {
        precondition((7...40).contains(version), "only versions 7 and up carry version bits")
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        return version << 12 | remainder
    }
}
