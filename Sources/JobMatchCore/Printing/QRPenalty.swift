/// The standard's score of how hard a masked symbol is to read (ISO/IEC 18004 7.8.3): lower is
/// better, and the encoder keeps the mask with the lowest.
enum QRPenalty {
    /// The four rules' sum: runs of five or more (3 + the excess), 2x2 blocks of one colour (3 each),
    /// finder-like 1:1:3:1:1 runs with four light modules on one side (40 each), and the distance of
    /// the dark share from 50% (10 for each full 5%).
    static func score(_ dark: [Bool], size: Int) -> Int {
        let matrix = { (row: Int, column: Int) in dark[row * size + column] }
        var total = 0
        for line in 0..<size {
            let row = (0..<size).map { matrix(line, $0) }
            let column = (0..<size).map { matrix($0, line) }
            total += Self.runs(row) + Self.finderLike(row)
            total += Self.runs(column) + Self.finderLike(column)
        }
        for row in 0..<(size - 1) {
            for column in 0..<(size - 1) {
                let colour = matrix(row, column)
                if matrix(row, column + 1) == colour && matrix(row + 1, column) == colour && matrix(row + 1, column + 1) == colour {
                    total += 3
                }
            }
        }
        let darkCount = dark.count { $0 }
        let cells = size * size
        total += abs(darkCount * 2 - cells) * 10 / cells * 10
        return total
    }

    /// Rule 1 on one line: 3 + (length - 5) for each run of five or more modules of one colour.
    static func runs(_ line: [Bool]) -> Int {
        var score = 0
        var length = 0
        for index in line.indices {
            length = index > 0 && line[index] == line[index - 1] ? length + 1 : 1
            let endsHere = index == line.count - 1 || line[index + 1] != line[index]
            if endsHere && length >= 5 { score += 3 + (length - 5) }
        }
        return score
    }

    /// Rule 3 on one line: 40 for each dark-light-dark-dark-dark-light-dark with four light modules
    /// before or after it (the edge counts as light, as the quiet zone is).
    static func finderLike(_ line: [Bool]) -> Int {
        let core = [true, false, true, true, true, false, true]
        var score = 0
        guard line.count >= core.count else { return 0 }
        let light = { (index: Int) in index < 0 || index >= line.count || !line[index] }
        for start in 0...(line.count - core.count) where (0..<core.count).allSatisfy({ line[start + $0] == core[$0] }) {
            let before = (1...4).allSatisfy { light(start - $0) }
            let after = (0..<4).allSatisfy { light(start + core.count + $0) }
            if before || after { score += 40 }
        }
        return score
    }
}
