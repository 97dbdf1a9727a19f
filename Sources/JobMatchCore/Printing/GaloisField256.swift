/// Arithmetic in GF(2^8) with the QR code's primitive polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D),
/// through tables of powers and logarithms of the generator 2.
enum GaloisField256 {
    /// `exp[i]` is 2^i, for i in 0..<510 (twice round, so a sum of two logarithms needs no modulo).
    static let exp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 510)
        var value = 1
        for index in 0..<255 {
            table[index] = UInt8(value)
            table[index + 255] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        return table
    }()

    /// `log[v]` is i with 2^i = v, for v in 1...255 (`log[0]` is unused).
    static let log: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for index in 0..<255 { table[Int(Self.exp[index])] = index }
        return table
    }()

    /// The product of `a` and `b` in the field.
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        guard a != 0, b != 0 else { return 0 }
        return Self.exp[Self.log[Int(a)] + Self.log[Int(b)]]
    }
}
