import Hummingbird
import Logging
import PostgresNIO

/// `POST /imports/workers[?partial=true]` with the CSV as the body: the import report as JSON,
/// with the error file (the failed rows and a `Lỗi` column) when some rows failed.
struct ImportRoutes {
    let client: PostgresClient

    /// An import's result as staff see it.
    struct ImportView: ResponseCodable {
        let totalRows: Int
        let imported: Int
        let unchanged: Int
        let rolledBack: Bool
        let errors: [ImportErrorView]
        /// The error file, UTF-8 CSV with BOM, ready to fix and import again.
        let errorCsv: String?
    }

    struct ImportErrorView: Codable {
        let line: Int
        let column: String
        let message: String
    }

    /// Largest file accepted through the API (a province's annual list fits easily).
    static let maxBytes = 64 << 20

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("imports/workers", use: self.workers)
    }

    @Sendable func workers(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<ImportView> {
        _ = try context.requireStaff()
        let partial = request.uri.queryParameters.get("partial") == "true"
        let buffer = try await request.body.collect(upTo: Self.maxBytes)
        let text = String(buffer: buffer)
        let (report, errorFile) = try await WorkerImporter(client: self.client, logger: context.logger)
            .importWorkers(text, partial: partial, actor: context.principal)
        let view = ImportView(
            totalRows: report.totalRows,
            imported: report.imported,
            unchanged: report.unchanged,
            rolledBack: report.rolledBack,
            errors: report.errors.map { ImportErrorView(line: $0.line, column: $0.column, message: $0.message) },
            errorCsv: errorFile.map { String(decoding: $0, as: UTF8.self) }
        )
        return EditedResponse(status: report.rolledBack ? .unprocessableContent : .ok, response: view)
    }
}
