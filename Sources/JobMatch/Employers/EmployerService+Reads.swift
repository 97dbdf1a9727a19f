import JobMatchCore
import Logging
import PostgresNIO

extension EmployerService {
    /// The newest employers (at most `limit`) and how many there are in all.
    func employers(limit: Int, logger: Logger) async throws -> (employers: [EmployerSummary], total: Int) {
        let today = LocalDate.today().description
        let rows = try await self.client.withConnection { connection in
            try await connection.query(
                """
                SELECT e.id, e.name, e.tax_code, w.ward_name,
                       (SELECT count(*) FROM vacancies v WHERE v.employer_id = e.id AND v.status = 'open' AND v.closing_date >= \(today)::date)::int,
                       (count(*) OVER ())::int
                FROM employers e JOIN wards_2025 w ON w.ward_code = e.ward_code
                ORDER BY e.created_at DESC, e.id DESC LIMIT \(limit)
                """,
                logger: logger
            ).decode((Int64, String, String, String, Int, Int).self).collect()
        }
        return (rows.map { EmployerSummary(id: $0.0, name: $0.1, taxCode: $0.2, wardName: $0.3, openVacancies: $0.4) }, rows.first?.5 ?? 0)
    }

    /// An employer with its vacancies and webhooks; 404 when there is none.
    func employer(_ id: Int64, logger: Logger) async throws -> EmployerDetails {
        try await self.client.withConnection { connection in
            guard
                let employer = try await connection.query(
                    """
                    SELECT e.name, e.tax_code, w.ward_name, w.province_name, e.sector, e.contact_name, e.contact_phone, e.contact_email,
                           to_char(e.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY')
                    FROM employers e JOIN wards_2025 w ON w.ward_code = e.ward_code WHERE e.id = \(id)
                    """,
                    logger: logger
                ).decode((String, String, String, String, String?, String?, String?, String?, String).self).first(where: { _ in true })
            else { throw AppError.notFound("doanh nghiệp \(id)") }
            let vacancies = try await connection.query(
                """
                SELECT id, title, occupation_code, slots, slots_filled, closing_date::text, status
                FROM vacancies WHERE employer_id = \(id) ORDER BY id DESC LIMIT 100
                """,
                logger: logger
            ).decode((Int64, String, String, Int, Int, String, String).self).collect()
            let webhooks = try await connection.query(
                """
                SELECT id, url, removed_at IS NULL, to_char(created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY HH24:MI')
                FROM employer_webhooks WHERE employer_id = \(id) ORDER BY removed_at IS NULL DESC, id DESC LIMIT 50
                """,
                logger: logger
            ).decode((Int64, String, Bool, String).self).collect()
            return EmployerDetails(
                id: id,
                name: employer.0,
                taxCode: employer.1,
                wardName: employer.2,
                provinceName: employer.3,
                sector: employer.4,
                contactName: employer.5,
                contactPhone: employer.6,
                contactEmail: employer.7,
                createdOn: employer.8,
                vacancies: vacancies.map {
                    EmployerDetails.Vacancy(
                        id: $0.0,
                        title: $0.1,
                        occupationCode: $0.2,
                        slots: $0.3,
                        slotsFilled: $0.4,
                        closingDate: $0.5,
                        status: $0.6
                    )
                },
                webhooks: webhooks.map { EmployerDetails.Webhook(id: $0.0, url: $0.1, active: $0.2, since: $0.3) }
            )
        }
    }

    /// Whether `key` is one of `employer`'s keys.
    func key(_ key: Int64, belongsTo employer: Int64, logger: Logger) async throws -> Bool {
        try await self.client.withConnection { connection in
            try await connection.query("SELECT 1 FROM employer_api_keys WHERE id = \(key) AND employer_id = \(employer)", logger: logger)
                .decode(Int.self).first(where: { _ in true }) != nil
        }
    }
}
