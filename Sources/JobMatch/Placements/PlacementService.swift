import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// The placement ledger for staff, for the JSON routes and the pages alike: a job found through
/// another channel (job fair, job-creation loan, self-employment, found independently with the
/// centre's support) is recorded with its evidence; a wrong entry is corrected by a reversal, a new
/// entry that cancels it (nothing is edited in place); a worker's entries, and a month's, are listed.
struct PlacementService: Sendable {
    let client: PostgresClient

    /// One ledger entry with what reversed it (`GET /placements?worker_id=`).
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
        /// `indefinite`, `fixed_term`, `seasonal`, `self_employment`; nil: not recorded.
        let contractType: String?
        /// Its Vietnamese name ("Chưa ghi nhận" when not recorded).
        let contractTypeName: String
        /// A fixed term's last day.
        let contractEndDate: String?
        let reversesId: Int64?
        let reversedById: Int64?
        let reason: String?
        let recordedAt: String
        /// An employer's hire not yet confirmed by staff: not counted (docs/counting.md, rule 9).
        let awaitingConfirmation: Bool
        /// When staff confirmed an employer's hire (Vietnam time).
        let confirmedAt: String?
    }

    struct EntryList: ResponseCodable {
        let placements: [Entry]
    }

    /// A month's entry as the placements page lists it, with the worker and where.
    struct MonthEntry: Sendable {
        let id: Int64
        let workerID: Int64
        let workerName: String
        let channel: String
        let startDate: String
        let employer: String
        let destinationCountry: String
        let wageVND: Int64?
        /// Stored value, nil when not recorded.
        let contractType: String?
        let contractEndDate: String?
        let reversesID: Int64?
        let reason: String
        let reversed: Bool
        /// dd/mm/yyyy, Vietnam time.
        let recorded: String
    }

    /// The channels staff record here; hires and departures come from their own workflows.
    static let staffChannels: [PlacementLedger.Channel] = [.jobFair, .jobCreationLoan, .selfEmployment, .independent]

    /// Records a placement by staff member `staffID`, with its audit entry; the worker is then employed.
    func record(_ input: NewPlacement, staffID: Int64, actor: Principal?, logger: Logger) async throws -> Entry {
        guard let channel = PlacementLedger.Channel(rawValue: input.channel), Self.staffChannels.contains(channel) else {
            throw AppError.invalid(
                field: "channel",
                "Kênh phải là một trong: "
                    + Self.staffChannels.map { "\($0.rawValue) (\($0.vietnamese))" }
                    .joined(separator: ", ") + ". Tuyển dụng qua Trung tâm và xuất cảnh được ghi từ lượt giới thiệu và hợp đồng."
            )
        }
        let start = try Input.date(input.startDate, field: "start_date", label: "Ngày bắt đầu làm việc")
        guard start >= LocalDate(year: 2021, month: 1, day: 1)!, start <= LocalDate.today() else {
            throw AppError.invalid(field: "start_date", "Ngày bắt đầu làm việc phải từ 01/01/2021 đến hôm nay.")
        }
        let evidence = try CleanText.required(input.evidence, field: "evidence", label: "Căn cứ (giấy tờ, biên bản, quyết định)", maxLength: 1000)
        if let wage = input.wageVnd, !(0...1_000_000_000).contains(wage) {
            throw AppError.invalid(field: "wage_vnd", "Mức lương phải từ 0 đến 1.000.000.000 đồng/tháng.")
        }
        let contract = try ContractType.checked(type: input.contractType, endDate: input.contractEndDate, start: start, channel: channel)
        return try await self.client.withTransaction(logger: logger) { tx in
            let check = ReferenceCheck(connection: tx, logger: logger)
            try await check.activeWorker(input.workerId)
            if let code = input.occupationCode { try await check.occupation(code) }
            if let employer = input.employerId, !(try await check.exists("SELECT 1 FROM employers WHERE id = \(employer)")) {
                throw AppError.invalid(field: "employer_id", "Không tìm thấy doanh nghiệp có mã \(employer).")
            }
            let id = try await Self.record(
                PlacementLedger.Entry(
                    workerID: input.workerId,
                    channel: channel,
                    startDate: start,
                    employerID: input.employerId,
                    occupationCode: input.occupationCode,
                    wageVND: input.wageVnd,
                    evidence: evidence,
                    contractType: contract.type,
                    contractEndDate: contract.endDate
                ),
                staffID: staffID,
                actor: actor,
                on: tx,
                logger: logger
            )
            return try await Self.entries(where: "p.id = \(id)", on: tx, logger: logger)[0]
        }
    }

    /// Appends a checked staff entry in the caller's transaction (the placements form, a hire at a
    /// job fair): the ledger row, the worker then employed, the audit entry. Returns its id.
    static func record(
        _ entry: PlacementLedger.Entry,
        staffID: Int64,
        actor: Principal?,
        on tx: PostgresConnection,
        logger: Logger
    ) async throws
        -> Int64
    {
        let id = try await PlacementLedger.record(entry, by: staffID, on: tx, logger: logger)
        try await tx.query("UPDATE workers SET job_seeking_status = 'employed' WHERE id = \(entry.workerID)", logger: logger)
        var after = [
            "worker_id": "\(entry.workerID)", "channel": entry.channel.rawValue, "start_date": entry.startDate.description,
            "contract_type": entry.contractType?.rawValue ?? "", "contract_end_date": entry.contractEndDate?.description ?? "",
        ]
        if let fair = entry.jobFairID { after["job_fair_id"] = "\(fair)" }
        try await AuditLog.record(on: tx, actor: actor, action: "create", entity: "placement", entityID: id, after: after, logger: logger)
        return id
    }

    /// Reverses a live entry with a reason: a new entry cancels it (the original stays as it was);
    /// a reversed hire gives its vacancy's slot back. Returns the reversal.
    func reverse(_ id: Int64, _ input: ReferralReason, staffID: Int64, actor: Principal?, logger: Logger) async throws -> Entry {
        let reason = try input.checked()
        return try await self.client.withTransaction(logger: logger) { tx in
            guard
                let (reverses, reversed) = try await tx.query(
                    """
                    SELECT reverses_id, EXISTS (SELECT 1 FROM placements r WHERE r.reverses_id = p.id) FROM placements p WHERE p.id = \(id) FOR UPDATE
                    """,
                    logger: logger
                ).decode((Int64?, Bool).self).first(where: { _ in true })
            else { throw AppError.notFound("bản ghi việc làm \(id)") }
            if reverses != nil { throw AppError.conflict("Bản ghi \(id) là một bản ghi điều chỉnh; không thể điều chỉnh nó.") }
            if reversed { throw AppError.conflict("Bản ghi \(id) đã được điều chỉnh (hủy) trước đó.") }
            let reversal = try await tx.query(
                """
                INSERT INTO placements (worker_id, channel, start_date, referral_id, overseas_contract_id, employer_id, destination_country,
                                        occupation_code, wage_vnd, evidence, contract_type, contract_end_date, job_fair_id, reverses_id, reason, recorded_by)
                SELECT worker_id, channel, start_date, referral_id, overseas_contract_id, employer_id, destination_country,
                       occupation_code, wage_vnd, evidence, contract_type, contract_end_date, job_fair_id, id, \(reason), \(staffID)
                FROM placements WHERE id = \(id)
                RETURNING id
                """,
                logger: logger
            ).first(Int64.self)!
            // A reversed hire (from a referral or at a job fair) gives its slot back.
            try await VacancySlots.giveBack(placement: id, on: tx, logger: logger)
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "reverse",
                entity: "placement",
                entityID: id,
                after: ["reversal_id": "\(reversal)", "reason": reason],
                logger: logger
            )
            return try await Self.entries(where: "p.id = \(reversal)", on: tx, logger: logger)[0]
        }
    }

    /// A worker's entries, by id.
    func entries(workerID: Int64, logger: Logger) async throws -> [Entry] {
        try await self.client.withConnection { connection in
            try await Self.entries(where: "p.worker_id = \(workerID)", on: connection, logger: logger)
        }
    }

    /// Entries whose work started in `month` (at most 500), newest first.
    func entries(startedIn month: Month, logger: Logger) async throws -> [MonthEntry] {
        let (from, to) = (month.firstDay.description, month.next.firstDay.description)
        let rows = try await self.client.query(
            """
            SELECT p.id, p.worker_id, w.full_name, p.channel, p.start_date::text, coalesce(e.name, ''), coalesce(p.destination_country, ''),
                   p.wage_vnd, p.contract_type, p.contract_end_date::text, p.reverses_id, coalesce(p.reason, ''), EXISTS (SELECT 1 FROM placements r WHERE r.reverses_id = p.id),
                   to_char(p.recorded_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY')
            FROM placements p JOIN workers w ON w.id = p.worker_id LEFT JOIN employers e ON e.id = p.employer_id
            WHERE p.start_date >= \(from)::date AND p.start_date < \(to)::date
            ORDER BY p.start_date DESC, p.id DESC LIMIT 500
            """,
            logger: logger
        )
        var entries: [MonthEntry] = []
        for try await (id, worker, name, channel, start, employer, country, wage, contract, contractEnd, reverses, reason, reversed, recorded)
            in rows.decode((Int64, Int64, String, String, String, String, String, Int64?, String?, String?, Int64?, String, Bool, String).self)
        {
            entries.append(
                MonthEntry(
                    id: id,
                    workerID: worker,
                    workerName: name,
                    channel: channel,
                    startDate: start,
                    employer: employer,
                    destinationCountry: country,
                    wageVND: wage,
                    contractType: contract,
                    contractEndDate: contractEnd,
                    reversesID: reverses,
                    reason: reason,
                    reversed: reversed,
                    recorded: recorded
                )
            )
        }
        return entries
    }

    /// Ledger entries matching `condition` (a condition on `p`, the placements row), by id.
    static func entries(where condition: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [Entry] {
        var sql = PostgresQuery(
            unsafeSQL: """
                SELECT p.id, p.worker_id, p.channel, p.start_date::text, p.employer_id, p.destination_country, p.occupation_code, p.wage_vnd,
                       p.evidence, p.contract_type, p.contract_end_date::text, p.reverses_id, (SELECT r.id FROM placements r WHERE r.reverses_id = p.id), p.reason,
                       to_char(p.recorded_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS'),
                       p.confirmation_required AND p.confirmed_at IS NULL,
                       to_char(p.confirmed_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS')
                FROM placements p WHERE
                """
        )
        sql.sql += " " + condition.sql + " ORDER BY p.id"
        sql.binds = condition.binds
        var entries: [Entry] = []
        let rows = try await connection.query(sql, logger: logger)
        for try await row in rows {
            let (
                id, worker, channel, start, employer, country, occupation, wage, evidence, contract, contractEnd, reverses, reversedBy, reason, at,
                awaiting, confirmed
            ) =
                try row.decode(
                    (
                        Int64, Int64, String, String, Int64?, String?, String?, Int64?, String?, String?, String?, Int64?, Int64?, String?, String,
                        Bool, String?
                    ).self
                )
            entries.append(
                Entry(
                    id: id,
                    workerId: worker,
                    channel: channel,
                    channelName: PlacementLedger.Channel(rawValue: channel)?.vietnamese ?? channel,
                    startDate: start,
                    employerId: employer,
                    destinationCountry: country,
                    occupationCode: occupation,
                    wageVnd: wage,
                    evidence: evidence,
                    contractType: contract,
                    contractTypeName: ContractType.vietnamese(contract),
                    contractEndDate: contractEnd,
                    reversesId: reverses,
                    reversedById: reversedBy,
                    reason: reason,
                    recordedAt: at,
                    awaitingConfirmation: awaiting,
                    confirmedAt: confirmed
                )
            )
        }
        return entries
    }
}
