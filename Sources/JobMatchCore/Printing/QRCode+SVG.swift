extension QRCode {
    /// The code as an inline SVG image: one square per module in a `size + 8` viewBox (the four-module
    /// quiet zone on every side), dark runs of a row drawn as one path, edges kept crisp for print.
    /// `label` (escaped here) is the image's accessible name; the size on the page is the CSS's.
    public func svg(label: String) -> String {
        let quiet = 4
        let side = self.size + 2 * quiet
        var path = ""
        for row in 0..<self.size {
            var column = 0
            while column < self.size {
                guard self[row, column] else {
                    column += 1
                    continue
                }
                let start = column
                while column < self.size && self[row, column] { column += 1 }
                path += "M\(start + quiet),\(row + quiet)h\(column - start)v1h-\(column - start)z"
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(side) \(side)\" role=\"img\" aria-label=\"\(Self.escaped(label))\""
            + " shape-rendering=\"crispEdges\"><rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/><path fill=\"#000\" d=\"\(path)\"/></svg>"
    }

    /// `text` safe inside a double-quoted attribute.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
