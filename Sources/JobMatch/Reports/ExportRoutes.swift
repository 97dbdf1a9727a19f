import Hummingbird
import JobMatchCore

/// Staff downloads, every one audited (the JSON door onto `ExportService`):
/// - `GET /exports/placements?month=YYYY-MM|period=YYYY-YYYY&format=csv|xlsx&as_of=YYYY-MM-DD&cccd=full`
///   streams a placement export (CCCD whole only for officers and admins who ask);
/// - `GET /exports/files` lists the stored monthly files, `GET /exports/files/{id}` downloads one;
/// - `GET /reports/{name}?format=` streams one of the other reports; `GET /reports` lists them.
struct ExportRoutes {
    let exports: ExportService

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
        let export = try PlacementExportRequest(
            month: query.get("month"),
            period: query.get("period"),
            format: query.get("format"),
            asOf: query.get("as_of"),
            cccd: query.get("cccd"),
            role: role
        )
        return try self.exports.placements(export, actor: context.principal, logger: context.logger)
    }

    /// The stored files (`GET /exports/files`).
    struct FileList: ResponseCodable {
        let files: [ExportFiles.Listed]
    }

    /// The other reports' keys and titles (`GET /reports`).
    struct ReportList: ResponseCodable {
        let reports: [[String: String]]
    }

    @Sendable func files(_ request: Request, context: AppRequestContext) async throws -> FileList {
        _ = try context.requireStaff()
        return FileList(files: try await self.exports.files(logger: context.logger))
    }

    @Sendable func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireStaff()
        guard let id = context.parameters.get("id", as: Int64.self) else { throw AppError.notFound("tệp xuất") }
        return try await self.exports.file(id, actor: context.principal, logger: context.logger)
    }

    @Sendable func reports(_ request: Request, context: AppRequestContext) async throws -> ReportList {
        _ = try context.requireStaff()
        return ReportList(reports: TableReport.all.map { ["key": $0.key, "title": $0.title] })
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireStaff()
        guard let name = context.parameters.get("name"), let report = TableReport.named(name)
        else { throw AppError.notFound("báo cáo \(context.parameters.get("name") ?? "")") }
        let format = try PlacementExportRequest.format(request.uri.queryParameters.get("format"))
        return try self.exports.report(report, format: format, actor: context.principal, logger: context.logger)
    }
}
