import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Staff downloads for the JSON routes and the exports page alike, every one audited: placement
/// exports and the other reports streamed as they are made, the stored monthly files, and the
/// history of who exported what.
///
/// A streamed download holds a connection and a snapshot for as long as its client reads, so at most
/// `permits.limit` run at once; past that the answer is 429 with `Retry-After`.
struct ExportService: Sendable {
    let client: PostgresClient
    /// The exports' share of the connection pool.
    let permits: ConnectionPermits
    /// Where the exports and reports are read (the replica while caught up). Stored files and the
    /// history are read on `client`, which has just written them.
    let reads: ReadRouter

    /// `reads` nil: everything on `client`.
    init(client: PostgresClient, permits: ConnectionPermits, reads: ReadRouter? = nil) {
        self.client = client
        self.permits = permits
        self.reads = reads ?? .primaryOnly(client)
    }

    /// The placement export, streamed.
    func placements(_ request: PlacementExportRequest, actor: Principal?, logger: Logger) throws -> Response {
        let exports = PlacementExports(reads: self.reads, logger: logger)
        return try self.download(name: request.spec.name, format: request.format) { sink in
            try await exports.write(request.spec, format: request.format, actor: actor, to: sink)
        }
    }

    /// One of the other reports (`TableReport.all`), streamed.
    func report(_ report: TableReport, format: TableFormat, actor: Principal?, logger: Logger) throws -> Response {
        let reports = TableReports(reads: self.reads, logger: logger)
        return try self.download(name: report.key, format: format) { sink in
            try await reports.write(report, format: format, actor: actor, to: sink)
        }
    }

    /// The stored files, newest month first.
    func files(logger: Logger) async throws -> [ExportFiles.Listed] {
        try await ExportFiles(client: self.client, logger: logger).list()
    }

    /// A stored file, its download audited; 404 when there is none.
    func file(_ id: Int64, actor: Principal?, logger: Logger) async throws -> Response {
        guard let actor, let (name, format, bytes) = try await ExportFiles(client: self.client, logger: logger).download(id: id, by: actor)
        else { throw AppError.notFound("tệp xuất") }
        var headers = Self.headers(name: name, format: format)
        headers[.contentLength] = "\(bytes.count)"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The last 50 exports and downloads of stored files, newest first.
    func history(logger: Logger) async throws -> [ExportHistoryEntry] {
        let rows = try await self.client.query(
            """
            SELECT coalesce(nullif(s.display_name, ''), s.username, 'Hệ thống'), a.action, a.entity,
                   coalesce(a.after->>'export', f.month, ''), coalesce(a.after->>'format', f.format, ''),
                   to_char(a.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY HH24:MI')
            FROM audit_log a LEFT JOIN staff_users s ON a.actor_kind = 'staff' AND s.id = a.actor_id
            LEFT JOIN export_files f ON a.entity = 'export_file' AND f.id::text = a.entity_id
            WHERE (a.action = 'export' OR (a.entity = 'export_file' AND a.action IN ('download', 'store')))
            ORDER BY a.id DESC LIMIT 50
            """,
            logger: logger
        )
        var entries: [ExportHistoryEntry] = []
        for try await (who, action, entity, name, format, at) in rows.decode((String, String, String, String, String, String).self) {
            entries.append(ExportHistoryEntry(who: who, action: action, entity: entity, name: name, format: format, at: at))
        }
        return entries
    }

    /// A download's headers: its type, its file name, and never cached.
    static func headers(name: String, format: TableFormat) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        headers[.contentDisposition] = "attachment; filename=\"\(name).\(format.rawValue)\""
        headers[.cacheControl] = "no-store"
        return headers
    }

    /// A streamed download, holding one of the exports' permits until its body ends (429 when none
    /// is free): the body is written as `produce` hands over bytes. If producing
    /// fails after the first bytes, the response ends early (the failure is logged; no partial
    /// file is ever reported as whole: the client sees the connection end before the ZIP or CSV does).
    func download(
        name: String,
        format: TableFormat,
        _ produce: @escaping @Sendable (@escaping @Sendable ([UInt8]) async throws -> Void) async throws -> Void
    ) throws -> Response {
        guard self.permits.tryAcquire() else { throw AppError.tooManyExports(retryAfter: 30) }
        let permits = self.permits
        return Response(
            status: .ok,
            headers: Self.headers(name: name, format: format),
            body: ResponseBody { writer in
                defer { permits.release() }
                let box = WriterBox(writer)
                try await produce { bytes in try await box.write(bytes) }
                try await box.writer.finish(nil)
            }
        )
    }
}
