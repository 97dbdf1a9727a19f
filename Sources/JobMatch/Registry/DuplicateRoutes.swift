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

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("workers/duplicates", use: self.list)
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
