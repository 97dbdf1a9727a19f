/// One tuple of a binary COPY, valid only while `BinaryCopyReader` hands it over: fields by
/// position, each read as the type its column has.
struct BinaryCopyRow {
    let bytes: UnsafeRawBufferPointer
    let fields: [(start: Int, length: Int)]

    /// A field's bytes (text: its UTF-8); nil when NULL.
    func field(_ index: Int) -> UnsafeRawBufferPointer? {
        let field = self.fields[index]
        guard field.length >= 0 else { return nil }
        return UnsafeRawBufferPointer(rebasing: self.bytes[field.start..<field.start + field.length])
    }

    /// A text (or varchar) field; nil when NULL.
    func text(_ index: Int) -> String? {
        self.field(index).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A bigint, integer or smallint field; nil when NULL (or wider than a bigint, which no such
    /// column sends).
    func integer(_ index: Int) -> Int64? {
        let field = self.fields[index]
        guard field.length > 0, field.length <= 8 else { return nil }
        var value: UInt64 = 0
        for byte in self.bytes[field.start..<field.start + field.length] { value = value << 8 | UInt64(byte) }
        // Sign-extend the field's width (2, 4 or 8 bytes).
        let shift = UInt64(64 - 8 * field.length)
        return Int64(bitPattern: value << shift) >> Int64(shift)
    }

    /// A boolean field; nil when NULL.
    func bool(_ index: Int) -> Bool? {
        let field = self.fields[index]
        guard field.length == 1 else { return nil }
        return self.bytes[field.start] != 0
    }
}
