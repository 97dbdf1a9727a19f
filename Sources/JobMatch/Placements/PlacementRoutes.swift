import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// The placement ledger for staff: a job found through another channel (job fair, job-creation
/// loan, self-employment, found independently with the centre's support) is recorded with its
/// evidence; a wrong entry is corrected by a reversal, a new entry that cancels it (nothing is
/// edited in place); a worker's entries are listed with what reversed them.
struct PlacementRoutes {
    let client: PostgresClient

    /// `POST /placements` body.
    struct NewPlacement: Decodable {
        let workerId: Int64
        let channel: String
        let startDate: String
        let employerId: Int64?
        let occupationCode: String?
        let wageVnd: Int64?
        let evidence: String
    }

    struct Entry: ResponseCodable {
        let id: Int64
        let workerId: Int64
        let channel: String
        let channelName: String
        let startDate: String
        let employerId: Int64?
        let destinationCountry: String?
        let occupationCode: String?
        let wageVnd: Int64?
        let evidence: String?
        let reversesId: Int64?
        let reversedById: Int64?
        let reason: String?
        let recordedAt: String
    }

    struct EntryList: ResponseCodable {
        let placements: [Entry]
    }

    /// The channels staff record here; hires and departures come from their own workflows.
    static let staffChannels: [PlacementLedger.Channel] = [.jobFair, .jobCreationLoan, .selfEmployment, .independent]

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("placements", use: self.create)
        group.get("placements", use: self.list)
        group.post("placements/:id/reverse", use: self.reverse)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Entry> {
        let staff = try context.requireStaff()
        let input = try await request.decodeJSON(NewPlacement.self, context: context)
        guard let channel = PlacementLedger.Channel(rawValue: input.channel), Self.staffChannels.contains(channel) else {
            throw AppError.invalid(field: "channel", "Kênh phải là một trong: " + Self.staffChannels.map { "\($0.rawValue) (\($0.vietnamese))" }
                .joined(separator: ", ") + ". Tuyển dụng qua Trung tâm và xuất cảnh được ghi từ lượt giới thiệu và hợp đồng.")
        }
        let start = try Input.date(input.startDate, field: "start_date", label: "Ngày bắt đầu làm việc")
        guard start >= LocalDate(year: 2021, month: 1, day: 1)!, start <= LocalDate.today() else {
            throw AppError.invalid(field: "start_date", "Ngày bắt đầu làm việc phải từ 01/01/2021 đến hôm nay.")
        }
        let evidence = try CleanText.required(input.evidence, field: "evidence", label: "Căn cứ (giấy tờ, biên bản, quyết định)", maxLength: 1000)
        if let wage = input.wageVnd, !(0...1_000_000_000).contains(wage) {
            throw AppError.invalid(field: "wage_vnd", "Mức lương phải từ 0 đến 1.000.000.000 đồng/tháng.")
        }
        let logger = context.logger
        let entry = try await self.client.withTransaction(logger: logger) { tx in
            let check = ReferenceCheck(connection: tx, logger: logger)
            try await check.activeWorker(input.workerId)
            if let code = input.occupationCode { try await check.occupation(code) }
            if let employer = input.employerId, !(try await check.exists("SELECT 1 FROM employers WHERE id = \(employer)")) {
                throw AppError.invalid(field: "employer_id", "Không tìm thấy doanh nghiệp có mã \(employer).")
            }
            let id = try await PlacementLedger.record(
                PlacementLedger.Entry(workerID: input.workerId, channel: channel, startDate: start, employerID: input.employerId,
                                      occupationCode: input.occupationCode, wageVND: input.wageVnd, evidence: evidence),
                by: staff.id, on: tx, logger: logger)
            try await tx.query("UPDATE workers SET job_seeking_status = 'employed' WHERE id = \(input.workerId)", logger: logger)
            try await AuditLog.record(on: tx, actor: context.principal, action: "create", entity: "placement", entityID: id,
                                      after: ["worker_id": "\(input.workerId)", "channel": channel.rawValue, "start_date": start.description],
                                      logger: logger)
            return try await Self.entries(where: "p.id = \(id)", on: tx, logger: logger)[0]
        }
        return EditedResponse(status: .created, response: entry)
    }

    /// Reverses a live entry with a reason: a new entry cancels it (the original stays as it was).
    @Sendable func reverse(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Entry> {
        let staff = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let reason = try await ReferralRoutes.reason(request, context)
        let logger = context.logger
        let entry = try await self.client.withTransaction(logger: logger) { tx in
            guard let (reverses, reversed) = try await tx.query(
                """
                SELECT reverses_id, EXISTS (SELECT 1 FROM placements r WHERE r.reverses_id = p.id) FROM placements p WHERE p.id = \(id) FOR UPDATE
                """, logger: logger).decode((Int64?, Bool).self).first(where: { _ in true })
            else { throw AppError.notFound("bản ghi việc làm \(id)") }
            if reverses != nil { throw AppError.conflict("Bản ghi \(id) là một bản ghi điều chỉnh; không thể điều chỉnh nó.") }
            if reversed { throw AppError.conflict("Bản ghi \(id) đã được điều chỉnh (hủy) trước đó.") }
            let reversal = try await tx.query(
                """
                INSERT INTO placements (worker_id, channel, start_date, referral_id, overseas_contract_id, employer_id, destination_country,
                                        occupation_code, wage_vnd, evidence, reverses_id, reason, recorded_by)
                SELECT worker_id, channel, start_date, referral_id, overseas_contract_id, employer_id, destination_country,
                       occupation_code, wage_vnd, evidence, id, \(reason), \(staff.id)
                FROM placements WHERE id = \(id)
                RETURNING id
                """, logger: logger).first(Int64.self)!
            // A reversed hire gives its slot back, so that a vacancy's slots_filled is its live hires.
            try await tx.query(
                """
                UPDATE vacancies v SET slots_filled = v.slots_filled - 1, updated_at = now()
                FROM placements p JOIN referrals r ON r.id = p.referral_id
                WHERE p.id = \(id) AND p.channel = 'vacancy_hire' AND v.id = r.vacancy_id AND v.slots_filled > 0
                """, logger: logger)
            try await AuditLog.record(on: tx, actor: context.principal, action: "reverse", entity: "placement", entityID: id,
                                      after: ["reversal_id": "\(reversal)", "reason": reason], logger: logger)
            return try await Self.entries(where: "p.id = \(reversal)", on: tx, logger: logger)[0]
        }
        return EditedResponse(status: .created, response: entry)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> EntryList {
        _ = try context.requireStaff()
        guard let text = request.uri.queryParameters.get("worker_id"), let worker = Int64(text) else {
            throw AppError.invalid(field: "worker_id", "Cần mã người lao động (worker_id).")
        }
        return try await self.client.withConnection { connection in
            EntryList(placements: try await Self.entries(where: "p.worker_id = \(worker)", on: connection, logger: context.logger))
        }
    }

    /// Ledger entries matching `condition` (a condition on `p`, the placements row), by id.
    static func entries(where condition: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [Entry] {
        var sql = PostgresQuery(unsafeSQL: """
            SELECT p.id, p.worker_id, p.channel, p.start_date::text, p.employer_id, p.destination_country, p.occupation_code, p.wage_vnd,
                   p.evidence, p.reverses_id, (SELECT r.id FROM placements r WHERE r.reverses_id = p.id), p.reason,
                   to_char(p.recorded_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS')
            FROM placements p WHERE
            """)
        sql.sql += " " + condition.sql + " ORDER BY p.id"
        sql.binds = condition.binds
        var entries: [Entry] = []
        let rows = try await connection.query(sql, logger: logger)
        for try await row in rows {
            let (id, worker, channel, start, employer, country, occupation, wage, evidence, reverses, reversedBy, reason, at) =
                try row.decode((Int64, Int64, String, String, Int64?, String?, String?, Int64?, String?, Int64?, Int64?, String?, String).self)
            entries.append(Entry(id: id, workerId: worker, channel: channel, channelName: PlacementLedger.Channel(rawValue: channel)?.vietnamese ?? channel,
                                 startDate: start, employerId: employer, destinationCountry: country, occupationCode: occupation, wageVnd: wage,
                                 evidence: evidence, reversesId: reverses, reversedById: reversedBy, reason: reason, recordedAt: at))
        }
        return entries
    }
}
