import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// The plan's targets: listed, added (`POST /targets`) and changed (`PUT /targets/{key}`) by an
/// admin, each change audited. None is hard-wired: the seeded ones are rows like any other.
extension ProgressService {
    /// Every target, by indicator then period.
    struct TargetList: ResponseCodable {
        let targets: [PlanTarget]
    }

    /// `PUT /targets/{key}` body.
    struct TargetChange: Decodable {
        let value: Double
        let title: String?
    }

    /// The plan's targets.
    func targets(logger: Logger) async throws -> TargetList {
        try await self.client.withConnection { try await Self.list(on: $0, logger: logger) }
    }

    /// Adds a target (audited) and answers it as stored.
    func addTarget(_ input: TargetInput, actor: Principal?, logger: Logger) async throws -> PlanTarget {
        let target = try ValidTarget(input)
        return try await self.client.withTransaction(logger: logger) { tx in
            try await target.checkPlaces(on: tx, logger: logger)
            let key = target.key ?? target.suggestedKey
            let title = target.title ?? target.suggestedTitle
            let inserted = try await tx.query(
                """
                INSERT INTO targets (key, indicator, period_start, period_end, value, title_vi, basis, created_by)
                VALUES (\(key), \(target.indicator), \(target.start.description)::date, \(target.end.description)::date, \(target.value),
                        \(title), \(target.basis?.rawValue), \(actor?.staffID))
                ON CONFLICT (key) DO NOTHING RETURNING key
                """,
                logger: logger
            ).first(String.self)
            guard inserted != nil else {
                throw AppError.conflict("Đã có chỉ tiêu mã '\(key)'; hãy đặt một mã khác.", field: "key")
            }
            try await tx.query(
                """
                INSERT INTO target_territories (target_key, ward_code, legacy_province_code)
                SELECT \(key), w, NULL FROM unnest(\(target.wards)::text[]) w
                UNION ALL SELECT \(key), NULL, p FROM unnest(\(target.legacyProvinces)::text[]) p
                """,
                logger: logger
            )
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "create",
                entity: "target",
                entityID: nil,
                after: [
                    "key": key, "indicator": target.indicator, "period": "\(target.start)..\(target.end)", "value": "\(target.value)",
                    "basis": target.basis?.rawValue ?? "", "territory": (target.legacyProvinces + target.wards).joined(separator: ","),
                ],
                logger: logger
            )
            return try await Self.list(on: tx, logger: logger).targets.first { $0.key == key }!
        }
    }

    /// Changes target `key`'s value (and title), audited; returns every target.
    func changeTarget(_ key: String, _ input: TargetChange, actor: Principal?, logger: Logger) async throws -> TargetList {
        let title = try CleanText.optional(input.title, field: "title", label: "Tên chỉ tiêu", maxLength: 200)
        return try await self.client.withTransaction(logger: logger) { tx in
            guard
                let (indicator, before, beforeTitle) = try await tx.query(
                    "SELECT indicator, value::float8, title_vi FROM targets WHERE key = \(key) FOR UPDATE",
                    logger: logger
                ).decode((String, Double, String).self).first(where: { _ in true })
            else { throw AppError.notFound("chỉ tiêu \(key)") }
            try ValidTarget.checkValue(input.value, indicator: indicator)
            try await tx.query(
                "UPDATE targets SET value = \(input.value), title_vi = COALESCE(\(title), title_vi), updated_at = now() WHERE key = \(key)",
                logger: logger
            )
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "update",
                entity: "target",
                entityID: nil,
                before: ["key": key, "value": "\(before)", "title": beforeTitle],
                after: ["key": key, "value": "\(input.value)", "title": title ?? beforeTitle],
                logger: logger
            )
            return try await Self.list(on: tx, logger: logger)
        }
    }

    /// Every target with its basis and territory, by indicator then period.
    static func list(on connection: PostgresConnection, logger: Logger) async throws -> TargetList {
        let rows = try await connection.query(
            """
            SELECT t.key, t.indicator, t.title_vi, t.period_start::text, t.period_end::text, t.value::float8, t.basis,
                   COALESCE(array_agg(CASE WHEN tt.ward_code IS NOT NULL THEN 'ward' ELSE 'legacy_province' END ORDER BY tt.id)
                            FILTER (WHERE tt.id IS NOT NULL), '{}'),
                   COALESCE(array_agg(COALESCE(tt.ward_code, tt.legacy_province_code) ORDER BY tt.id) FILTER (WHERE tt.id IS NOT NULL), '{}')
            FROM targets t LEFT JOIN target_territories tt ON tt.target_key = t.key
            GROUP BY t.key ORDER BY t.indicator, t.period_start, t.period_end DESC, t.key
            """,
            logger: logger
        )
        var targets: [PlanTarget] = []
        for try await row in rows.decode((String, String, String, String, String, Double, String?, [String], [String]).self) {
            targets.append(
                PlanTarget(
                    key: row.0,
                    indicator: row.1,
                    title: row.2,
                    periodStart: row.3,
                    periodEnd: row.4,
                    value: row.5,
                    basis: row.6.flatMap(CountingBasis.init(rawValue:)),
                    territory: zip(row.7, row.8).map { ProgressReport.Place(kind: $0.0, code: $0.1) }
                )
            )
        }
        return TargetList(targets: targets)
    }
}
