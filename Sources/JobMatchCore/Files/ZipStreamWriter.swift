import CZlib

/// Writes a ZIP archive front to back without knowing any entry's size in advance (deflated
/// entries with data descriptors), so an XLSX of any length streams in constant memory. The bytes
/// written wait in `pending` until the caller drains them. Timestamps are fixed, so the same
/// entries always give the same bytes.
public final class ZipStreamWriter {
    /// A finished entry, for the central directory.
    private struct Entry {
        let name: [UInt8]
        let crc: UInt32
        let compressedSize: UInt64
        let size: UInt64
        let offset: UInt64
    }

    /// Entries or offsets past 4 GiB would need ZIP64, which this writer does not write.
    public struct TooLarge: Error {}

    /// Bytes written and not yet drained.
    public private(set) var pending: [UInt8] = []
    private var written: UInt64 = 0
    private var entries: [Entry] = []
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var streamOpen = false
    private var current: (name: [UInt8], offset: UInt64, crc: UInt32, size: UInt64, compressed: UInt64)?
    private let level: Int32
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)

    /// `level`: zlib's 1 (fastest) to 9 (smallest).
    public init(level: Int32 = 1) {
        self.level = level
        self.pending.reserveCapacity(1 << 17)
    }

    deinit {
        if self.streamOpen { deflateEnd(self.stream) }
        self.stream.deallocate()
    }

    /// Hands over the bytes written so far.
    public func drain() -> [UInt8] {
        defer { self.pending.removeAll(keepingCapacity: true) }
        return self.pending
    }

    /// Starts an entry called `name` (a path inside the archive); ends the one before, if any.
    public func beginEntry(_ name: String) throws {
        if self.current != nil { try self.endEntry() }
        let nameBytes = Array(name.utf8)
        let offset = self.written
        self.emit32(0x0403_4B50)
        self.emit16(20)  // version needed: 2.0 (deflate)
        self.emit16(Self.flags)
        self.emit16(8)  // deflate
        self.emit16(0)  // time 00:00
        self.emit16(Self.dosDate)
        self.emit32(0)  // CRC, sizes: in the data descriptor
        self.emit32(0)
        self.emit32(0)
        self.emit16(UInt16(nameBytes.count))
        self.emit16(0)
        self.emit(nameBytes)
        self.stream.pointee = z_stream()
        guard
            deflateInit2_(
                self.stream,
                self.level,
                Z_DEFLATED,
                -15,
                8,
                Z_DEFAULT_STRATEGY,
                ZLIB_VERSION,
                Int32(MemoryLayout<z_stream>.size)
            ) == Z_OK
        else { fatalError("zlib could not start a deflate stream") }
        self.streamOpen = true
        self.current = (nameBytes, offset, 0, 0, 0)
    }

    /// Adds bytes to the current entry.
    public func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBufferPointer { buffer in
            self.current!.crc = UInt32(crc32(uLong(self.current!.crc), buffer.baseAddress, uInt(buffer.count)))
            self.stream.pointee.next_in = UnsafeMutablePointer(mutating: buffer.baseAddress)
            self.stream.pointee.avail_in = uInt(buffer.count)
            self.deflateAvailable(flush: Z_NO_FLUSH)
        }
        self.current!.size += UInt64(bytes.count)
        if self.current!.size > UInt64(UInt32.max) { throw TooLarge() }
    }

    /// Adds a string's UTF-8 bytes to the current entry.
    public func write(_ text: String) throws {
        try self.write(Array(text.utf8))
    }

    /// Ends the current entry: the rest of its compressed data, then its CRC and sizes.
    public func endEntry() throws {
        guard let entry = self.current else { return }
        self.stream.pointee.next_in = nil
        self.stream.pointee.avail_in = 0
        self.deflateAvailable(flush: Z_FINISH)
        deflateEnd(self.stream)
        self.streamOpen = false
        let done = self.current!
        self.current = nil
        if done.compressed > UInt64(UInt32.max) || self.written > UInt64(UInt32.max) { throw TooLarge() }
        self.emit32(0x0807_4B50)
        self.emit32(done.crc)
        self.emit32(UInt32(done.compressed))
        self.emit32(UInt32(done.size))
        self.entries.append(Entry(name: entry.name, crc: done.crc, compressedSize: done.compressed, size: done.size, offset: entry.offset))
    }

    /// Ends the archive: the central directory and its end record.
    public func finish() throws {
        try self.endEntry()
        let start = self.written
        for entry in self.entries {
            self.emit32(0x0201_4B50)
            self.emit16(20)  // made by: MS-DOS, 2.0
            self.emit16(20)
            self.emit16(Self.flags)
            self.emit16(8)
            self.emit16(0)
            self.emit16(Self.dosDate)
            self.emit32(entry.crc)
            self.emit32(UInt32(entry.compressedSize))
            self.emit32(UInt32(entry.size))
            self.emit16(UInt16(entry.name.count))
            self.emit16(0)  // extra
            self.emit16(0)  // comment
            self.emit16(0)  // disk
            self.emit16(0)  // internal attributes
            self.emit32(0)  // external attributes
            self.emit32(UInt32(entry.offset))
            self.emit(entry.name)
        }
        let size = self.written - start
        guard self.entries.count < Int(UInt16.max), self.written <= UInt64(UInt32.max) else { throw TooLarge() }
        self.emit32(0x0605_4B50)
        self.emit16(0)
        self.emit16(0)
        self.emit16(UInt16(self.entries.count))
        self.emit16(UInt16(self.entries.count))
        self.emit32(UInt32(size))
        self.emit32(UInt32(start))
        self.emit16(0)
    }

    /// Bit 3: sizes in a data descriptor; bit 11: names are UTF-8.
    private static let flags: UInt16 = 0x0808
    /// 1980-01-01, the earliest date a ZIP can hold: fixed, so output does not depend on the clock.
    private static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1

    /// Runs deflate over the input set on the stream, appending what it produces.
    private func deflateAvailable(flush: Int32) {
        let chunkSize = self.chunk.count
        self.chunk.withUnsafeMutableBufferPointer { out in
            repeat {
                self.stream.pointee.next_out = out.baseAddress
                self.stream.pointee.avail_out = uInt(chunkSize)
                let status = deflate(self.stream, flush)
                precondition(status != Z_STREAM_ERROR, "zlib deflate stream error")
                let produced = chunkSize - Int(self.stream.pointee.avail_out)
                if produced > 0 {
                    self.pending.append(contentsOf: out[0..<produced])
                    self.written += UInt64(produced)
                    self.current!.compressed += UInt64(produced)
                }
            } while self.stream.pointee.avail_out == 0
        }
    }

    private func emit(_ bytes: [UInt8]) {
        self.pending.append(contentsOf: bytes)
        self.written += UInt64(bytes.count)
    }

    private func emit16(_ value: UInt16) {
        self.pending.append(UInt8(value & 0xFF))
        self.pending.append(UInt8(value >> 8))
        self.written += 2
    }

    private func emit32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { self.pending.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
        self.written += 4
    }
}
