/// Reads PostgreSQL's binary COPY format (`COPY ... TO STDOUT (FORMAT binary)`): a header, then
/// tuples of length-prefixed fields in the columns' binary forms, then a trailer. Text comes as
/// its UTF-8 bytes, with nothing escaped, so a row costs a few length reads.
struct BinaryCopyReader {
    /// Why the data could not be read.
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    private static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]
    private var headerRead = false
    /// Whether the trailer has been read.
    private(set) var finished = false
    /// The fields of the current row: start offset and length (-1: NULL), reused row after row.
    private var fields: [(start: Int, length: Int)] = []

    /// Calls `row` for each tuple of `chunk`, which holds whole tuples (the header before the first).
    mutating func read(_ chunk: [UInt8], _ row: (BinaryCopyRow) throws -> Void) throws {
        try chunk.withUnsafeBytes { bytes in
            var offset = 0
            func int16() throws -> Int {
                guard offset + 2 <= bytes.count else { throw Malformed(description: "a row is cut short") }
                defer { offset += 2 }
                return Int(Int16(bitPattern: UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])))
            }
            func int32() throws -> Int {
                guard offset + 4 <= bytes.count else { throw Malformed(description: "a row is cut short") }
                defer { offset += 4 }
                let value = UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
                return Int(Int32(bitPattern: value))
            }
            if !self.headerRead {
                guard bytes.count >= 19, bytes.prefix(11).elementsEqual(Self.signature) else { throw Malformed(description: "no COPY header") }
                offset = 15
                let extensionLength = try int32()
                offset += extensionLength
                self.headerRead = true
            }
            while offset < bytes.count {
                let count = try int16()
                if count == -1 {
                    self.finished = true
                    return
                }
                self.fields.removeAll(keepingCapacity: true)
                for _ in 0..<count {
                    let length = try int32()
                    guard offset + max(length, 0) <= bytes.count else { throw Malformed(description: "a field is cut short") }
                    self.fields.append((offset, length))
                    offset += max(length, 0)
                }
                try row(BinaryCopyRow(bytes: bytes, fields: self.fields))
            }
        }
    }
}
