import Hummingbird
import NIOCore

/// Holds the response body writer for the export's sink, which is called from one task at a time.
final class WriterBox: @unchecked Sendable {
    var writer: any ResponseBodyWriter

    init(_ writer: any ResponseBodyWriter) {
        self.writer = writer
    }

    func write(_ bytes: [UInt8]) async throws {
        try await self.writer.write(ByteBuffer(bytes: bytes))
    }
}
