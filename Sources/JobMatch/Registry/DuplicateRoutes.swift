import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// `GET /workers/duplicates`: pairs of records that probably are one person without sharing a
/// CCCD (same unaccented name and birth date, or same phone and a similar name), for staff to review.
struct DuplicateRoutes {
    let client: PostgresClient

    /// One probable pair; identifiers masked.
    struct Pair: Codable {
        let firstId: Int64
        let secondId: Int64
        let firstName: String
        let secondName: String
        let reason: String
    }

    /// Why a pair is listed, in the clerk's words.
    static let reasons = [
        "name_birth_date": "Trùng họ tên (không dấu) và ngày sinh",
        "phone_similar_name": "Trùng số điện thoại, họ tên gần giống",
        "same_cmnd": "Trùng số CMND cũ",
    ]

    struct PairList: ResponseCodable {
        let pairs: [Pair]
    }

    /// `POST /workers/duplicates/dismiss` body: a pair found to be two different people.
    struct Dismissal: Decodable {
        let firstId: Int64
        let secondId: Int64
        let reason: String?
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("workers/duplicates", use: self.list)
        group.post("workers/duplicates/dismiss", use: self.dismiss)
    }

    @Sendable func dismiss(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        let staff = try context.requireStaff()
        let input = try await request.decodeJSON(Dismissal.self, context: context)
        guard input.firstId != input.secondId else { throw AppError.invalid(field: "second_id", "Hai mã hồ sơ phải khác nhau.") }
        let reason = try CleanText.optional(input.reason, field: "reason", label: "Lý do", maxLength: 1000)
        let (first, second) = (min(input.firstId, input.secondId), max(input.firstId, input.secondId))
        let logger = context.logger
        try await self.client.withTransaction(logger: logger) { tx in
            let check = ReferenceCheck(connection: tx, logger: logger)
            try await check.record(.workers, id: input.firstId, field: "first_id", label: "người lao động")
            try await check.record(.workers, id: input.secondId, field: "second_id", label: "người lao động")
            guard try await tx.query(
                """
                INSERT INTO duplicate_dismissals (first_id, second_id, reason, dismissed_by) VALUES (\(first), \(second), \(reason), \(staff.id))
                ON CONFLICT DO NOTHING RETURNING first_id
                """, logger: logger).first(Int64.self) != nil
            else { throw AppError.conflict("Cặp hồ sơ này đã được đánh dấu là hai người khác nhau.") }
            try await AuditLog.record(on: tx, actor: context.principal, action: "dismiss_duplicate", entity: "worker", entityID: first,
                                      after: ["other_id": "\(second)", "reason": reason ?? ""], logger: logger)
        }
        return EditedResponse(status: .created, response: CreatedID(id: first))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> PairList {
        _ = try context.requireStaff()
        let limit = try Input.limit(request.uri.queryParameters.get("limit"), default: 50, maximum: 500)
        // Two records with different CCCDs are two people, whatever else they share.
        let rows = try await self.client.query(
            """
            SELECT a.id, b.id, a.full_name, b.full_name, 'name_birth_date' FROM workers a
            JOIN workers b ON b.search_name = a.search_name AND b.birth_date = a.birth_date AND b.id > a.id
            WHERE a.anonymised_at IS NULL AND b.anonymised_at IS NULL AND a.merged_into IS NULL AND b.merged_into IS NULL
              AND (a.cccd IS NULL OR b.cccd IS NULL)
            UNION
            SELECT a.id, b.id, a.full_name, b.full_name, 'phone_similar_name' FROM workers a
            JOIN workers b ON b.phone = a.phone AND b.id > a.id
            WHERE a.anonymised_at IS NULL AND b.anonymised_at IS NULL AND a.merged_into IS NULL AND b.merged_into IS NULL
              AND (a.cccd IS NULL OR b.cccd IS NULL)
              AND similarity(a.search_name, b.search_name) >= 0.5
            UNION
            SELECT a.id, b.id, a.full_name, b.full_name, 'same_cmnd' FROM workers a
            JOIN workers b ON b.cmnd = a.cmnd AND b.id > a.id
            WHERE a.anonymised_at IS NULL AND b.anonymised_at IS NULL AND a.merged_into IS NULL AND b.merged_into IS NULL
              AND (a.cccd IS NULL OR b.cccd IS NULL)
            EXCEPT
            SELECT d.first_id, d.second_id, a.full_name, b.full_name, r.reason
            FROM duplicate_dismissals d JOIN workers a ON a.id = d.first_id JOIN workers b ON b.id = d.second_id,
                 unnest(ARRAY['name_birth_date', 'phone_similar_name', 'same_cmnd']) AS r(reason)
            ORDER BY 1, 2 LIMIT \(limit)
            """, logger: context.logger)
        var pairs: [Pair] = []
        for try await (first, second, firstName, secondName, reason) in rows.decode((Int64, Int64, String, String, String).self) {
            pairs.append(Pair(firstId: first, secondId: second, firstName: firstName, secondName: secondName,
                              reason: Self.reasons[reason] ?? reason))
        }
        return PairList(pairs: pairs)
    }
}
