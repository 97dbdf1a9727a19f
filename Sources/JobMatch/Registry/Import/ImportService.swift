import Foundation
import JobMatchCore
import Logging
import NIOCore
import PostgresNIO

/// Imports of workers' lists from the web app: runs the import (`WorkerImporter`), keeps each run
/// with its report and error file (audited), lists the recent runs, and hands out an error file
/// while it is kept (each download audited).
struct ImportService: Sendable {
    let client: PostgresClient

    /// Imports `text` (all or nothing unless `partial`) and records the run; returns its id.
    func importWorkers(_ text: String, fileName: String, partial: Bool, by actor: Principal, logger: Logger) async throws -> Int64 {
        let (report, errorFile) = try await WorkerImporter(client: self.client, logger: logger).importWorkers(text, partial: partial, actor: actor)
        let errors = String(decoding: try JSONEncoder().encode(report.errors), as: UTF8.self)
        let fileName = String(CleanText.normalize(fileName).prefix(255))
        return try await self.client.withTransaction(logger: logger) { tx in
            let id = try await tx.query(
                """
                INSERT INTO import_runs (file_name, partial, total_rows, imported, unchanged, rolled_back, errors, error_file, created_by)
                VALUES (\(fileName.isEmpty ? "tệp" : fileName), \(partial), \(report.totalRows), \(report.imported), \(report.unchanged),
                        \(report.rolledBack), \(errors)::jsonb, \(errorFile.map { ByteBuffer(bytes: $0) }), \(actor.staffID))
                RETURNING id
                """,
                logger: logger
            ).first(Int64.self)!
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "import",
                entity: "import_run",
                entityID: id,
                after: ["rows": "\(report.totalRows)", "imported": "\(report.imported)", "errors": "\(report.errors.count)"],
                logger: logger
            )
            return id
        }
    }

    /// The 20 latest runs, newest first (without their errors).
    func recentRuns(logger: Logger) async throws -> [ImportRun] {
        try await self.client.withConnection { connection in
            try await connection.query(
                """
                SELECT r.id, r.file_name, coalesce(nullif(s.display_name, ''), s.username), r.partial, r.total_rows, r.imported, r.unchanged,
                       jsonb_array_length(r.errors), r.rolled_back,
                       r.error_file IS NOT NULL AND r.created_at >= now() - make_interval(days => \(RetentionConfig.importErrorFileDays)),
                       to_char(r.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY HH24:MI')
                FROM import_runs r JOIN staff_users s ON s.id = r.created_by ORDER BY r.id DESC LIMIT 20
                """,
                logger: logger
            ).decode((Int64, String, String, Bool, Int, Int, Int, Int, Bool, Bool, String).self).collect()
                .map {
                    ImportRun(
                        id: $0.0,
                        fileName: $0.1,
                        uploadedBy: $0.2,
                        partial: $0.3,
                        totalRows: $0.4,
                        imported: $0.5,
                        unchanged: $0.6,
                        rolledBack: $0.8,
                        errorCount: $0.7,
                        hasErrorFile: $0.9,
                        uploadedAt: $0.10
                    )
                }
        }
    }

    /// One run with its errors; 404 when there is none.
    func run(_ id: Int64, logger: Logger) async throws -> ImportRun {
        guard
            let row = try await self.client.withConnection({ connection in
                try await connection.query(
                    """
                    SELECT r.file_name, coalesce(nullif(s.display_name, ''), s.username), r.partial, r.total_rows, r.imported, r.unchanged,
                           r.rolled_back, r.errors::text,
                           r.error_file IS NOT NULL AND r.created_at >= now() - make_interval(days => \(RetentionConfig.importErrorFileDays)),
                           to_char(r.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY HH24:MI')
                    FROM import_runs r JOIN staff_users s ON s.id = r.created_by WHERE r.id = \(id)
                    """,
                    logger: logger
                ).decode((String, String, Bool, Int, Int, Int, Bool, String, Bool, String).self).collect().first
            })
        else { throw AppError.notFound("lượt nhập \(id)") }
        let errors = (try? JSONDecoder().decode([ImportError].self, from: Data(row.7.utf8))) ?? []
        return ImportRun(
            id: id,
            fileName: row.0,
            uploadedBy: row.1,
            partial: row.2,
            totalRows: row.3,
            imported: row.4,
            unchanged: row.5,
            rolledBack: row.6,
            errorCount: errors.count,
            errors: errors,
            hasErrorFile: row.8,
            uploadedAt: row.9
        )
    }

    /// A run's error file while it is kept; the download is audited. 404 otherwise.
    func errorFile(of id: Int64, by actor: Principal, logger: Logger) async throws -> ByteBuffer {
        try await self.client.withTransaction(logger: logger) { tx -> ByteBuffer in
            guard
                let content = try await tx.query(
                    """
                    SELECT error_file FROM import_runs
                    WHERE id = \(id) AND error_file IS NOT NULL AND created_at >= now() - make_interval(days => \(RetentionConfig.importErrorFileDays))
                    """,
                    logger: logger
                )
                .decode(ByteBuffer.self).collect().first
            else { throw AppError.notFound("tệp lỗi của lượt nhập \(id)") }
            try await AuditLog.record(on: tx, actor: actor, action: "download", entity: "import_error_file", entityID: id, logger: logger)
            return content
        }
    }
}
