import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Staff downloads, every one audited:
/// - `GET /exports/placements?month=YYYY-MM|period=YYYY-YYYY&format=csv|xlsx&as_of=YYYY-MM-DD&cccd=full`
///   streams a placement export (CCCD whole only for officers and admins who ask);
/// - `GET /exports/files` lists the stored monthly files, `GET /exports/files/{id}` downloads one;
/// - `GET /reports/{name}?format=` streams one of the other reports; `GET /reports` lists them.
///
/// A streamed download holds a connection and a snapshot for as long as its client reads, so at most
/// `permits.limit` run at once; past that the answer is 429 with `Retry-After`.
struct ExportRoutes {
    let client: PostgresClient
    /// The exports' share of the connection pool.
    let permits: ConnectionPermits

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("exports/placements", use: self.placements)
        group.get("exports/files", use: self.files)
        group.get("exports/files/:id", use: self.file)
        group.get("reports", use: self.reports)
        group.get("reports/:name", use: self.report)
    }

    @Sendable func placements(_ request: Request, context: AppRequestContext) async throws -> Response {
        let role = try context.requireStaff().role
        let query = request.uri.queryParameters
        let range: PlacementExportSpec.Range
        switch (query.get("month"), query.get("period")) {
        case (let month?, nil):
            guard let parsed = Month(month) else { throw AppError.invalid(field: "month", "Tháng phải có dạng YYYY-MM (ví dụ 2026-01).") }
            range = .month(parsed)
        case (nil, let period?):
            guard let parsed = PlacementExportSpec.years(period)
            else { throw AppError.invalid(field: "period", "Giai đoạn phải có dạng YYYY-YYYY (ví dụ 2021-2025).") }
            range = parsed
        case (nil, nil):
            throw AppError.invalid(field: "month", "Cần chọn tháng (month=YYYY-MM) hoặc giai đoạn (period=YYYY-YYYY).")
        case (_?, _?):
            throw AppError.invalid(field: "period", "Chỉ chọn một trong hai: tháng hoặc giai đoạn.")
        }
        let format = try Self.format(query.get("format"))
        let asOf = try Self.asOf(query.get("as_of"))
        let fullCCCD = query.get("cccd") == "full"
        if let cccd = query.get("cccd"), cccd != "full" && cccd != "masked" {
            throw AppError.invalid(field: "cccd", "Giá trị cccd chỉ là full hoặc masked.")
        }
        if fullCCCD && role == .viewer {
            throw AppError(.forbidden, kind: "forbidden", title: "Không có quyền", detail: "Vai trò chỉ xem không được xuất số CCCD đầy đủ.",
                           field: "cccd")
        }
        let spec = PlacementExportSpec(range: range, asOf: asOf, fullCCCD: fullCCCD)
        let exports = PlacementExports(client: self.client, logger: context.logger)
        let principal = context.principal
        return try self.download(name: spec.name, format: format) { sink in
            try await exports.write(spec, format: format, actor: principal, to: sink)
        }
    }

    struct FileList: ResponseCodable {
        let files: [ExportFiles.Listed]
    }

    struct ReportList: ResponseCodable {
        let reports: [[String: String]]
    }

    @Sendable func files(_ request: Request, context: AppRequestContext) async throws -> FileList {
        _ = try context.requireStaff()
        return FileList(files: try await ExportFiles(client: self.client, logger: context.logger).list())
    }

    @Sendable func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireStaff()
        guard let id = context.parameters.get("id", as: Int64.self) else { throw AppError.notFound("tệp xuất") }
        guard let principal = context.principal,
              let (name, format, bytes) = try await ExportFiles(client: self.client, logger: context.logger).download(id: id, by: principal)
        else { throw AppError.notFound("tệp xuất") }
        var headers = Self.headers(name: name, format: format)
        headers[.contentLength] = "\(bytes.count)"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    @Sendable func reports(_ request: Request, context: AppRequestContext) async throws -> ReportList {
        _ = try context.requireStaff()
        return ReportList(reports: TableReport.all.map { ["key": $0.key, "title": $0.title] })
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireStaff()
        guard let name = context.parameters.get("name"), let report = TableReport.named(name)
        else { throw AppError.notFound("báo cáo \(context.parameters.get("name") ?? "")") }
        let format = try Self.format(request.uri.queryParameters.get("format"))
        let reports = TableReports(client: self.client, logger: context.logger)
        let principal = context.principal
        return try self.download(name: report.key, format: format) { sink in
            try await reports.write(report, format: format, actor: principal, to: sink)
        }
    }

    /// The end of which day the figures stand at: `as_of` (not in the future), or today.
    static func asOf(_ text: String?) throws -> LocalDate {
        let today = LocalDate.today()
        guard let text else { return today }
        let day = try Input.date(text, field: "as_of", label: "Ngày tính số liệu")
        guard day <= today else { throw AppError.invalid(field: "as_of", "Không thể xuất số liệu của một ngày chưa đến.") }
        return day
    }

    /// `csv` (the default) or `xlsx`.
    static func format(_ text: String?) throws -> TableFormat {
        guard let text else { return .csv }
        guard let format = TableFormat(rawValue: text) else { throw AppError.invalid(field: "format", "Định dạng chỉ là csv hoặc xlsx.") }
        return format
    }

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
    func download(name: String, format: TableFormat,
                  _ produce: @escaping @Sendable (@escaping @Sendable ([UInt8]) async throws -> Void) async throws -> Void) throws -> Response {
        guard self.permits.tryAcquire() else { throw AppError.tooManyExports(retryAfter: 30) }
        let permits = self.permits
        return Response(status: .ok, headers: Self.headers(name: name, format: format), body: ResponseBody { writer in
            defer { permits.release() }
            let box = WriterBox(writer)
            try await produce { bytes in try await box.write(bytes) }
            try await box.writer.finish(nil)
        })
    }
}

/// Holds the response body writer for the export's sink, which is called from one task at a time.
private final class WriterBox: @unchecked Sendable {
    var writer: any ResponseBodyWriter

    init(_ writer: any ResponseBodyWriter) {
        self.writer = writer
    }

    func write(_ bytes: [UInt8]) async throws {
        try await self.writer.write(ByteBuffer(bytes: bytes))
    }
}
