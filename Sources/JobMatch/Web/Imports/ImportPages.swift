import Foundation
import Hummingbird
import JobMatchCore
import NIOCore

/// `/imports`: a commune's list of workers uploaded as CSV, the report with every row's errors, and
/// the error file (the failed rows with a "Lỗi" column) to fix and upload again. Officers and admins
/// only: the reports and error files hold the rows' personal data (error files are emptied after
/// 30 days; each download is audited).
struct ImportPages {
    let service: ImportService
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
        let runs = try await self.service.recentRuns(logger: context.logger)
        return self.renderer.page(
            "imports",
            title: "Nhập dữ liệu",
            context: context,
            values: [
                "message": message ?? "", "maxMB": Self.maxBytes >> 20,
                "runs": runs.map { run -> [String: Any] in
                    [
                        "id": run.id, "file": run.fileName, "who": run.uploadedBy, "total": run.totalRows, "imported": run.imported,
                        "unchanged": run.unchanged, "errors": run.errorCount, "rolledBack": run.rolledBack, "at": run.uploadedAt,
                    ]
                },
                "hasRuns": !runs.isEmpty,
            ],
            status: status
        )
    }

    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let upload: WebUpload
        do {
            upload = try await WebUpload.read(request, context: context, fileField: "file", limit: Self.maxBytes)
        } catch is NIOTooManyBytesError {
            return try await self.uploadPage(
                context: context,
                message: "Tệp lớn hơn \(Self.maxBytes >> 20) MB; hãy chia nhỏ danh sách.",
                status: .contentTooLarge
            )
        }
        guard let file = upload.file, !file.isEmpty, let name = upload.fileName, !name.isEmpty else {
            return try await self.uploadPage(context: context, message: "Hãy chọn tệp CSV để tải lên.", status: .unprocessableContent)
        }
        guard let text = String(validating: file.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(file.dropFirst(3)) : file, as: UTF8.self) else {
            return try await self.uploadPage(
                context: context,
                message: "Tệp không phải CSV mã hóa UTF-8. Trong Excel, hãy lưu bằng “CSV UTF-8”.",
                status: .unprocessableContent
            )
        }
        let partial = upload.fields["partial"] != nil
        _ = try context.requireStaff()
        let id = try await self.service.importWorkers(
            text,
            fileName: name,
            partial: partial,
            by: try context.requirePrincipal(),
            logger: context.logger
        )
        return WebRenderer.redirect("/imports/\(id)")
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let run = try await self.service.run(id, logger: context.logger)
        let errors = run.errors
        return self.renderer.page(
            "import",
            title: "Kết quả nhập: \(run.fileName)",
            context: context,
            values: [
                "id": id, "file": run.fileName, "partial": run.partial, "total": run.totalRows, "imported": run.imported, "unchanged": run.unchanged,
                "rolledBack": run.rolledBack, "at": run.uploadedAt, "hasFile": run.hasErrorFile, "errorCount": errors.count,
                "hasErrors": !errors.isEmpty,
                "shown": min(errors.count, 500), "errors": errors.prefix(500).map { ["line": $0.line, "column": $0.column, "message": $0.message] },
            ],
            section: "imports"
        )
    }

    @Sendable func errorFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let bytes = try await self.service.errorFile(of: id, by: try context.requirePrincipal(), logger: context.logger)
        var headers = ExportService.headers(name: "loi-nhap-\(id)", format: .csv)
        headers[.contentLength] = "\(bytes.readableBytes)"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: bytes))
    }

    /// An empty list with the Vietnamese headers the import reads (UTF-8 with BOM, for Excel).
    @Sendable func template(_ request: Request, context: AppRequestContext) async throws -> Response {
        let header =
            "Họ và tên,Số CCCD,Ngày sinh,Giới tính,Mã xã/phường,Mã xã cũ,Số điện thoại,Dân tộc,Mã nghề,Mã hộ,Chủ hộ,Tình trạng hộ,Hiệu lực từ,Số quyết định\r\n"
        var headers = ExportService.headers(name: "mau-danh-sach-nguoi-lao-dong", format: .csv)
        let bytes = [0xEF, 0xBB, 0xBF] + Array(header.utf8)
        headers[.contentLength] = "\(bytes.count)"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
