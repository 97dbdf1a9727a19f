import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// `/imports`: a commune's list of workers uploaded as CSV, the report with every row's errors, and
/// the error file (the failed rows with a "Lỗi" column) to fix and upload again. Officers and admins
/// only: the reports and error files hold the rows' personal data (error files are emptied after
/// 30 days; each download is audited).
struct ImportPages {
    let client: PostgresClient
    let renderer: WebRenderer

    /// Largest file taken through the web app (a commune's list is far smaller).
    static let maxBytes = 16 << 20

    var routes: [WebRoute] {
        [
            .get("imports", .writers, self.page),
            .post("imports", self.upload),
            .get("imports/template.csv", .writers, self.template),
            .get("imports/:id", .writers, self.report),
            .get("imports/:id/errors.csv", .writers, self.errorFile),
        ]
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.uploadPage(context: context)
    }

    private func uploadPage(context: AppRequestContext, message: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let logger = context.logger
        // Error files past 30 days are emptied by `RetentionService`, and never offered meanwhile.
        let runs = try await self.client.withConnection { connection in
            try await connection.query(
                """
                SELECT r.id, r.file_name, coalesce(nullif(s.display_name, ''), s.username), r.total_rows, r.imported, r.unchanged,
                       jsonb_array_length(r.errors), r.rolled_back, to_char(r.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY HH24:MI')
                FROM import_runs r JOIN staff_users s ON s.id = r.created_by ORDER BY r.id DESC LIMIT 20
                """, logger: logger).decode((Int64, String, String, Int, Int, Int, Int, Bool, String).self).collect()
        }
        return self.renderer.page("imports", title: "Nhập dữ liệu", context: context, values: [
            "message": message ?? "", "maxMB": Self.maxBytes >> 20,
            "runs": runs.map { id, file, who, total, imported, unchanged, errors, rolledBack, at -> [String: Any] in
                ["id": id, "file": file, "who": who, "total": total, "imported": imported, "unchanged": unchanged, "errors": errors,
                 "rolledBack": rolledBack, "at": at]
            },
            "hasRuns": !runs.isEmpty,
        ], status: status)
    }

    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let upload: WebUpload
        do {
            upload = try await WebUpload.read(request, context: context, fileField: "file", limit: Self.maxBytes)
        } catch is NIOTooManyBytesError {
            return try await self.uploadPage(context: context, message: "Tệp lớn hơn \(Self.maxBytes >> 20) MB; hãy chia nhỏ danh sách.",
                                             status: .contentTooLarge)
        }
        guard let file = upload.file, !file.isEmpty, let name = upload.fileName, !name.isEmpty else {
            return try await self.uploadPage(context: context, message: "Hãy chọn tệp CSV để tải lên.", status: .unprocessableContent)
        }
        guard let text = String(validating: file.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(file.dropFirst(3)) : file, as: UTF8.self) else {
            return try await self.uploadPage(context: context, message: "Tệp không phải CSV mã hóa UTF-8. Trong Excel, hãy lưu bằng “CSV UTF-8”.",
                                             status: .unprocessableContent)
        }
        let partial = upload.fields["partial"] != nil
        let staff = try context.requireStaff()
        let (report, errorFile) = try await WorkerImporter(client: self.client, logger: context.logger)
            .importWorkers(text, partial: partial, actor: context.principal)
        let errors = String(decoding: try JSONEncoder().encode(report.errors), as: UTF8.self)
        let fileName = String(CleanText.normalize(name).prefix(255))
        let logger = context.logger
        let id = try await self.client.withTransaction(logger: logger) { tx in
            let id = try await tx.query(
                """
                INSERT INTO import_runs (file_name, partial, total_rows, imported, unchanged, rolled_back, errors, error_file, created_by)
                VALUES (\(fileName.isEmpty ? "tệp" : fileName), \(partial), \(report.totalRows), \(report.imported), \(report.unchanged),
                        \(report.rolledBack), \(errors)::jsonb, \(errorFile.map { ByteBuffer(bytes: $0) }), \(staff.id))
                RETURNING id
                """, logger: logger).first(Int64.self)!
            try await AuditLog.record(on: tx, actor: context.principal, action: "import", entity: "import_run", entityID: id,
                                      after: ["rows": "\(report.totalRows)", "imported": "\(report.imported)", "errors": "\(report.errors.count)"],
                                      logger: logger)
            return id
        }
        return WebRenderer.redirect("/imports/\(id)")
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let logger = context.logger
        guard let (file, partial, total, imported, unchanged, rolledBack, errorsJSON, hasFile, at) = try await self.client.withConnection({ connection in
            try await connection.query(
                """
                SELECT file_name, partial, total_rows, imported, unchanged, rolled_back, errors::text,
                       error_file IS NOT NULL AND created_at >= now() - make_interval(days => \(RetentionConfig.importErrorFileDays)),
                       to_char(created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY HH24:MI')
                FROM import_runs WHERE id = \(id)
                """, logger: logger).decode((String, Bool, Int, Int, Int, Bool, String, Bool, String).self).collect().first
        }) else { throw AppError.notFound("lượt nhập \(id)") }
        let errors = (try? JSONDecoder().decode([ImportError].self, from: Data(errorsJSON.utf8))) ?? []
        return self.renderer.page("import", title: "Kết quả nhập: \(file)", context: context, values: [
            "id": id, "file": file, "partial": partial, "total": total, "imported": imported, "unchanged": unchanged, "rolledBack": rolledBack,
            "at": at, "hasFile": hasFile, "errorCount": errors.count, "hasErrors": !errors.isEmpty, "shown": min(errors.count, 500),
            "errors": errors.prefix(500).map { ["line": $0.line, "column": $0.column, "message": $0.message] },
        ], section: "imports")
    }

    @Sendable func errorFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let logger = context.logger
        let bytes = try await self.client.withTransaction(logger: logger) { tx -> ByteBuffer in
            guard let content = try await tx.query(
                """
                SELECT error_file FROM import_runs
                WHERE id = \(id) AND error_file IS NOT NULL AND created_at >= now() - make_interval(days => \(RetentionConfig.importErrorFileDays))
                """,
                logger: logger)
                .decode(ByteBuffer.self).collect().first else { throw AppError.notFound("tệp lỗi của lượt nhập \(id)") }
            try await AuditLog.record(on: tx, actor: context.principal, action: "download", entity: "import_error_file", entityID: id, logger: logger)
            return content
        }
        var headers = ExportRoutes.headers(name: "loi-nhap-\(id)", format: .csv)
        headers[.contentLength] = "\(bytes.readableBytes)"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: bytes))
    }

    /// An empty list with the Vietnamese headers the import reads (UTF-8 with BOM, for Excel).
    @Sendable func template(_ request: Request, context: AppRequestContext) async throws -> Response {
        let header = "Họ và tên,Số CCCD,Ngày sinh,Giới tính,Mã xã/phường,Mã xã cũ,Số điện thoại,Dân tộc,Mã nghề,Mã hộ,Chủ hộ,Tình trạng hộ,Hiệu lực từ,Số quyết định\r\n"
        var headers = ExportRoutes.headers(name: "mau-danh-sach-nguoi-lao-dong", format: .csv)
        let bytes = [0xEF, 0xBB, 0xBF] + Array(header.utf8)
        headers[.contentLength] = "\(bytes.count)"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
