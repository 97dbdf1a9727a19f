import Crypto
import Foundation
import JobMatchCore
import Logging
import PostgresNIO
import ServiceLifecycle

/// Stored export files: made (by the schedule or on request), listed for staff, downloaded with
/// each download recorded and audited.
public struct ExportFiles: Sendable {
    /// The primary: files are stored, listed and downloaded here.
    let client: PostgresClient
    /// Where a file's export is read (the replica while caught up).
    let reads: ReadRouter
    let logger: Logger

    /// Everything on `client`; `copy`: how the files' rows are read with COPY (`PlacementExports`).
    public init(client: PostgresClient, logger: Logger, copy: CopyOutConnector? = nil) {
        self.init(reads: .primaryOnly(client, copy: copy), logger: logger)
    }

    init(reads: ReadRouter, logger: Logger) {
        self.client = reads.primary
        self.reads = reads
        self.logger = logger
    }

    /// Makes `month`'s file as it stood at the month's last day (CCCD masked) and stores it; nil
    /// when a scheduled file for it exists already.
    public func make(month: Month, format: TableFormat, scheduled: Bool, actor: Principal?, today: LocalDate = .today()) async throws -> Int64? {
        let lastDay = month.endExclusive.adding(days: -1)
        let spec = PlacementExportSpec(range: .month(month), asOf: min(lastDay, today), fullCCCD: false)
        let bytes = try await PlacementExports(reads: self.reads, logger: self.logger).bytes(spec, format: format, actor: actor)
        let checksum = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let logger = self.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            let id = try await tx.query(
                """
                INSERT INTO export_files (kind, month, format, as_of, scheduled, sha256, size_bytes, content, created_by)
                VALUES ('placements_month', \(month.description), \(format.rawValue), \(spec.asOf.description)::date, \(scheduled),
                        \(checksum), \(Int64(bytes.count)), \(ByteBuffer(bytes: bytes)), \(actor?.staffID))
                ON CONFLICT DO NOTHING RETURNING id
                """,
                logger: logger
            ).first(Int64.self)
            if let id {
                try await AuditLog.record(
                    on: tx,
                    actor: actor,
                    action: "store",
                    entity: "export_file",
                    entityID: id,
                    after: ["month": month.description, "format": format.rawValue, "sha256": checksum],
                    logger: logger
                )
            }
            return id
        }
    }

    /// A stored file as staff see it in the list.
    public struct Listed: Codable, Sendable {
        let id: Int64
        let kind: String
        let month: String
        let format: String
        let asOf: String
        let scheduled: Bool
        let sha256: String
        let sizeBytes: Int64
        let createdAt: String
        let downloads: Int64
        let lastDownloadedAt: String?
    }

    /// Every stored file, newest month first.
    func list() async throws -> [Listed] {
        let rows = try await self.client.query(
            """
            SELECT f.id, f.kind, f.month, f.format, f.as_of::text, f.scheduled, f.sha256, f.size_bytes,
                   to_char(f.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   (SELECT count(*) FROM export_downloads d WHERE d.file_id = f.id),
                   (SELECT to_char(max(d.downloaded_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM export_downloads d WHERE d.file_id = f.id)
            FROM export_files f ORDER BY f.month DESC, f.format, f.id DESC
            """,
            logger: self.logger
        )
        var result: [Listed] = []
        for try await r in rows.decode((Int64, String, String, String, String, Bool, String, Int64, String, Int64, String?).self) {
            result.append(
                Listed(
                    id: r.0,
                    kind: r.1,
                    month: r.2,
                    format: r.3,
                    asOf: r.4,
                    scheduled: r.5,
                    sha256: r.6,
                    sizeBytes: r.7,
                    createdAt: r.8,
                    downloads: r.9,
                    lastDownloadedAt: r.10
                )
            )
        }
        return result
    }

    /// A stored file's name, format and bytes, with the download recorded and audited; nil if none.
    func download(id: Int64, by actor: Principal) async throws -> (name: String, format: TableFormat, bytes: [UInt8])? {
        let logger = self.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            let rows = try await tx.query("SELECT month, format, sha256, content FROM export_files WHERE id = \(id)", logger: logger)
            guard
                let (month, format, checksum, content) = try await rows.decode((String, String, String, ByteBuffer).self).first(where: { _ in true }),
                let tableFormat = TableFormat(rawValue: format)
            else { return nil }
            try await tx.query("INSERT INTO export_downloads (file_id, staff_id) VALUES (\(id), \(actor.staffID))", logger: logger)
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "download",
                entity: "export_file",
                entityID: id,
                after: ["month": month, "format": format, "sha256": checksum],
                logger: logger
            )
            return ("placements-\(month).\(format)", tableFormat, Array(buffer: content))
        }
    }
}
