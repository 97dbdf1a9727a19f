import CLibPQ
import Foundation
import Logging
import NIOPosix

/// One libpq connection that reads a `COPY (query) TO STDOUT` in the snapshot another session
/// exported (PostgresNIO cannot read COPY's answer). Every blocking libpq call runs on
/// `CopyOutStream.threads`, never on an event loop; the rows are pulled a chunk at a time, so
/// memory stays bounded whatever the client's pace. Used by one task at a time; `close()` always.
final class CopyOutStream: @unchecked Sendable {
    /// Why the stream failed: libpq's or the server's message, for the log (clients see a 500).
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Where libpq blocks (a COPY waits while the server sorts a period's rows for seconds): eight
    /// threads of its own, so exports hold neither NIO's shared pool (bcrypt at sign-in, static
    /// files) nor the threads that run Swift's tasks; more exports than threads wait their turn.
    private static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 8)
        pool.start()
        return pool
    }()

    private let connection: OpaquePointer
    private var copying = false
    private var closed = false

    private init(connection: OpaquePointer) {
        self.connection = connection
    }

    /// Connects, joins `snapshot` (from `pg_export_snapshot()`) in a read-only REPEATABLE READ
    /// transaction, runs `setup` (settings for the transaction) and starts `copy`.
    static func open(_ connector: CopyOutConnector, snapshot: String, setup: String, copy: String) async throws -> CopyOutStream {
        let stream = try await Self.threads.runIfActive {
            let keywords = connector.parameters.map { strdup($0.keyword) } + [nil]
            let values = connector.parameters.map { strdup($0.value) } + [nil]
            defer { (keywords + values).forEach { free($0) } }
            guard
                let connection = keywords.map({ UnsafePointer($0) }).withUnsafeBufferPointer({ k in
                    values.map({ UnsafePointer($0) }).withUnsafeBufferPointer { v in PQconnectdbParams(k.baseAddress, v.baseAddress, 0) }
                })
            else { throw Failure(description: "libpq could not allocate a connection") }
            let stream = CopyOutStream(connection: connection)
            guard PQstatus(connection) == CONNECTION_OK else {
                let message = stream.errorMessage
                PQfinish(connection)
                throw Failure(description: "COPY connection failed: \(message)")
            }
            return stream
        }
        do {
            try await Self.threads.runIfActive {
                // The snapshot id comes from the server (`pg_export_snapshot()`): digits, hex and dashes.
                guard snapshot.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 70) })
                else { throw Failure(description: "unexpected snapshot id") }
                try stream.execute(
                    "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET TRANSACTION SNAPSHOT '\(snapshot)'; \(setup)",
                    expecting: PGRES_COMMAND_OK,
                    orTuples: true
                )
                try stream.execute(copy, expecting: PGRES_COPY_OUT, orTuples: false)
                stream.copying = true
            }
        } catch {
            await stream.close()
            throw error
        }
        return stream
    }

    /// The next chunk of COPY data: whole rows (libpq hands them over one CopyData message, one
    /// row, at a time) adding up to about `size` bytes; nil once the COPY has ended well.
    func next(size: Int = 1 << 18) async throws -> [UInt8]? {
        guard self.copying else { return nil }
        return try await Self.threads.runIfActive {
            var chunk: [UInt8] = []
            chunk.reserveCapacity(size + (1 << 12))
            while chunk.count < size {
                var buffer: UnsafeMutablePointer<CChar>? = nil
                let length = PQgetCopyData(self.connection, &buffer, 0)
                if length > 0, let buffer {
                    buffer.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                        chunk.append(contentsOf: UnsafeBufferPointer(start: $0, count: Int(length)))
                    }
                    PQfreemem(buffer)
                } else if length == -1 {
                    self.copying = false
                    try self.finishCopy()
                    break
                } else {
                    self.copying = false
                    throw Failure(description: "COPY failed: \(self.errorMessage)")
                }
            }
            return chunk.isEmpty && !self.copying ? nil : chunk
        }
    }

    /// Ends the connection; a COPY still running is cancelled first, so the server stops at once.
    func close() async {
        guard !self.closed else { return }
        self.closed = true
        _ = try? await Self.threads.runIfActive {
            if self.copying, let cancel = PQgetCancel(self.connection) {
                var message = [CChar](repeating: 0, count: 256)
                _ = PQcancel(cancel, &message, Int32(message.count))
                PQfreeCancel(cancel)
            }
            self.copying = false
            PQfinish(self.connection)
        }
    }

    private var errorMessage: String {
        PQerrorMessage(self.connection).map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown error"
    }

    /// Runs `sql` (simple protocol, several statements allowed) and checks its last result.
    private func execute(_ sql: String, expecting status: ExecStatusType, orTuples: Bool) throws {
        guard let result = PQexec(self.connection, sql) else { throw Failure(description: self.errorMessage) }
        defer { PQclear(result) }
        let actual = PQresultStatus(result)
        guard actual == status || (orTuples && actual == PGRES_TUPLES_OK) else {
            throw Failure(description: PQresultErrorMessage(result).map { String(cString: $0) } ?? self.errorMessage)
        }
    }

    /// After the last row: the COPY's own result, which says whether it ended well.
    private func finishCopy() throws {
        var failure: String? = nil
        while let result = PQgetResult(self.connection) {
            if PQresultStatus(result) != PGRES_COMMAND_OK {
                failure = failure ?? PQresultErrorMessage(result).map { String(cString: $0) }
            }
            PQclear(result)
        }
        if let failure { throw Failure(description: "COPY failed: \(failure)") }
    }
}
