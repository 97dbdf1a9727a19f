import JobMatchCore
import Logging
import PostgresNIO

/// Gathers streamed bytes.
actor ByteCollector {
    private(set) var bytes: [UInt8] = []

    func append(_ more: [UInt8]) {
        self.bytes += more
    }
}
