import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// `GET /progress?as_of=`: progress toward the plan's targets, as it stood at the end of a day
/// (default today); `GET /targets` and, for an admin, `PUT /targets/{key}` to change a target.
struct ProgressRoutes {
    let client: PostgresClient

    struct ProgressView: ResponseCodable {
        let asOf: String
        let targets: [ProgressReport.TargetProgress]
        let trainedRate: ProgressReport.TrainedRate
        let households: [ProgressReport.Households]
    }

    struct Target: Codable {
        let key: String
        let indicator: String
        let title: String
        let periodStart: String
        let periodEnd: String
        let value: Double
    }

    struct TargetList: ResponseCodable {
        let targets: [Target]
    }

    /// `PUT /targets/{key}` body.
    struct TargetChange: Decodable {
        let value: Double
        let title: String?
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("progress", use: self.show)
        group.get("targets", use: self.targets)
        group.put("targets/:key", use: self.changeTarget)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> ProgressView {
        _ = try context.requireStaff()
        let today = LocalDate.today()
        let asOf = try request.uri.queryParameters.get("as_of").map { try Input.date($0, field: "as_of", label: "Ngày tính số liệu") } ?? today
        guard asOf <= today else { throw AppError.invalid(field: "as_of", "Không thể xem số liệu của một ngày chưa đến.") }
        let report = try await self.client.withConnection { connection in
            try await ProgressReport.make(asOf: asOf, on: connection, logger: context.logger)
        }
        return ProgressView(asOf: report.asOf.description, targets: report.targets, trainedRate: report.trainedRate, households: report.households)
    }

    @Sendable func targets(_ request: Request, context: AppRequestContext) async throws -> TargetList {
        _ = try context.requireStaff()
        return try await self.client.withConnection { try await Self.list(on: $0, logger: context.logger) }
    }

    @Sendable func changeTarget(_ request: Request, context: AppRequestContext) async throws -> TargetList {
        let staff = try context.requireStaff()
        guard staff.role == .admin else { throw AppError.forbidden }
        let key = try context.parameters.require("key")
        let input = try await request.decodeJSON(TargetChange.self, context: context)
        let title = try CleanText.optional(input.title, field: "title", label: "Tên chỉ tiêu", maxLength: 200)
        let logger = context.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            guard let (indicator, before, beforeTitle) = try await tx.query(
                "SELECT indicator, value::float8, title_vi FROM targets WHERE key = \(key) FOR UPDATE", logger: logger
            ).decode((String, Double, String).self).first(where: { _ in true }) else { throw AppError.notFound("chỉ tiêu \(key)") }
            let valid = indicator == "trained_rate" ? (input.value > 0 && input.value <= 100) : (input.value >= 1 && input.value <= 10_000_000 && input.value.rounded() == input.value)
            guard valid else {
                throw AppError.invalid(field: "value", indicator == "trained_rate"
                                       ? "Tỷ lệ phải lớn hơn 0 và không quá 100 (%)." : "Chỉ tiêu phải là số người, từ 1 đến 10.000.000.")
            }
            try await tx.query("UPDATE targets SET value = \(input.value), title_vi = COALESCE(\(title), title_vi), updated_at = now() WHERE key = \(key)",
                               logger: logger)
            try await AuditLog.record(on: tx, actor: context.principal, action: "update", entity: "target", entityID: nil,
                                      before: ["key": key, "value": "\(before)", "title": beforeTitle],
                                      after: ["key": key, "value": "\(input.value)", "title": title ?? beforeTitle], logger: logger)
            return try await Self.list(on: tx, logger: logger)
        }
    }

    static func list(on connection: PostgresConnection, logger: Logger) async throws -> TargetList {
        let rows = try await connection.query(
            "SELECT key, indicator, title_vi, period_start::text, period_end::text, value::float8 FROM targets ORDER BY indicator, period_start",
            logger: logger)
        var targets: [Target] = []
        for try await (key, indicator, title, start, end, value) in rows.decode((String, String, String, String, String, Double).self) {
            targets.append(Target(key: key, indicator: indicator, title: title, periodStart: start, periodEnd: end, value: value))
        }
        return TargetList(targets: targets)
    }
}
