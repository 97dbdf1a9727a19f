import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// An employer as its page shows it: the facts, its vacancies and its webhooks (never their secrets).
enum EmployerRecord {
    /// The employer's values, or nil when there is none with this id.
    static func load(_ id: Int64, on connection: PostgresConnection, logger: Logger) async throws -> [String: Any]? {
        guard let employer = try await connection.query(
            """
            SELECT e.name, e.tax_code, w.ward_name, w.province_name, coalesce(e.sector, ''), coalesce(e.contact_name, ''),
                   coalesce(e.contact_phone, ''), coalesce(e.contact_email, ''), to_char(e.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY')
            FROM employers e JOIN wards_2025 w ON w.ward_code = e.ward_code WHERE e.id = \(id)
            """, logger: logger).decode((String, String, String, String, String, String, String, String, String).self).first(where: { _ in true })
        else { return nil }
        let (name, tax, ward, province, sector, contact, phone, email, created) = employer
        let today = LocalDate.today()
        let vacancies = try await connection.query(
            """
            SELECT id, title, occupation_code, slots, slots_filled, closing_date::text, status
            FROM vacancies WHERE employer_id = \(id) ORDER BY id DESC LIMIT 100
            """, logger: logger).decode((Int64, String, String, Int, Int, String, String).self).collect()
        let webhooks = try await connection.query(
            """
            SELECT id, url, removed_at IS NULL, to_char(created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY HH24:MI')
            FROM employer_webhooks WHERE employer_id = \(id) ORDER BY removed_at IS NULL DESC, id DESC LIMIT 50
            """, logger: logger).decode((Int64, String, Bool, String).self).collect()
        return [
            "employerId": id, "name": name, "taxCode": tax, "ward": ward + ", " + province, "sector": sector, "contactName": contact,
            "contactPhone": phone, "contactEmail": email, "created": created,
            "vacancies": vacancies.map { vacancy, title, occupation, slots, filled, closing, status -> [String: Any] in
                let open = status == "open" && (LocalDate(closing).map { $0 >= today } ?? false)
                return ["id": vacancy, "title": title, "occupation": WebLabels.occupation(occupation),
                        "slots": "\(VietnameseFormat.number(filled))/\(VietnameseFormat.number(slots))", "closing": WebDates.display(closing),
                        "status": open ? "Đang tuyển" : status == "open" ? "Hết hạn nộp hồ sơ" : WebLabels.word(status, in: WebLabels.vacancyStatus),
                        "open": open]
            },
            "hasVacancies": !vacancies.isEmpty,
            "webhooks": webhooks.map { hook, url, active, since -> [String: Any] in
                ["id": hook, "url": url, "active": active, "since": since, "events": WebLabels.webhookEvents.map { ["code": $0.0, "text": $0.1] }]
            },
            "hasWebhooks": !webhooks.isEmpty,
        ]
    }
}
