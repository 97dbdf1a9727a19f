/// Reed-Solomon error correction as QR codes use it: the generator polynomial of degree `degree`
/// has the roots 2^0 ... 2^(degree-1) in `GaloisField256`, and a block's error-correction codewords
/// are the remainder of the data (times x^degree) divided by it.
struct ReedSolomon: Sendable {
    /// The generator's coefficients, highest power first, without the leading 1.
    let generator: [UInt8]

    init(degree: Int) {
        precondition((1...255).contains(degree), "Reed-Solomon degree out of range")
        // Start from 1 and multiply by (x - 2^i) for each root; coefficients highest power first.
        var poly: [UInt8] = [1]
        var root: UInt8 = 1
        for _ in 0..<degree {
            var next = [UInt8](repeating: 0, count: poly.count + 1)
            for (index, coefficient) in poly.enumerated() {
                next[index] ^= coefficient
                next[index + 1] ^= GaloisField256.multiply(coefficient, root)
            }
            poly = next
            root = GaloisField256.multiply(root, 2)
        }
        self.generator = Array(poly.dropFirst())
    }

    /// The error-correction codewords of `data` (as many as the degree).
    func remainder(of data: some Sequence<UInt8>) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: self.generator.count)
        for byte in data {
            let factor = byte ^ result[0]
            result.removeFirst()
            result.append(0)
            for index in result.indices { result[index] ^= GaloisField256.multiply(self.generator[index], factor) }
        }
        return result
    }
}
