import Logging
import PostgresNIO

/// Staff's reads of vacancies across employers (the vacancy pages).
extension VacancyRepository {
    /// `status` open, closed or all; `text` words of the title or the employer's name. Open first,
    /// closing soonest; at most 200.
    func summaries(status: String, text: String, logger: Logger) async throws -> [VacancySummary] {
        let pattern =
            "%"
            + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        let rows = try await self.client.query(
            """
            SELECT v.id, v.title, e.name, v.occupation_code, w.ward_name, v.slots, v.slots_filled, v.closing_date::text, v.status,
                   (SELECT count(*) FROM referrals r WHERE r.vacancy_id = v.id AND r.status <> 'proposed')
            FROM vacancies v JOIN employers e ON e.id = v.employer_id JOIN wards_2025 w ON w.ward_code = v.ward_code
            WHERE (\(status) = 'all' OR v.status = \(status))
              AND (\(text) = '' OR v.title ILIKE \(pattern) OR e.name ILIKE \(pattern))
            ORDER BY v.status = 'open' DESC, v.closing_date, v.id LIMIT 200
            """,
            logger: logger
        )
        var result: [VacancySummary] = []
        for try await (id, title, employer, occupation, ward, slots, filled, closing, status, referred)
            in rows.decode((Int64, String, String, String, String, Int, Int, String, String, Int64).self)
        {
            result.append(
                VacancySummary(
                    id: id,
                    title: title,
                    employer: employer,
                    occupationCode: occupation,
                    wardName: ward,
                    slots: slots,
                    slotsFilled: filled,
                    closingDate: closing,
                    status: status,
                    referred: referred
                )
            )
        }
        return result
    }

    /// The vacancy, with its referrals (at most 500) when `withReferrals`; nil when there is none.
    func detail(_ id: Int64, withReferrals: Bool = false, logger: Logger) async throws -> VacancyDetail? {
        try await self.client.withConnection { connection in
            try await Self.detail(id, withReferrals: withReferrals, on: connection, logger: logger)
        }
    }

    /// `detail` on the caller's connection (the candidates page reads it in the ranking's snapshot).
    static func detail(_ id: Int64, withReferrals: Bool = false, on connection: PostgresConnection, logger: Logger) async throws -> VacancyDetail? {
        let rows = try await connection.query(
            """
            SELECT v.title, coalesce(v.description, ''), e.id, e.name, v.occupation_code, w.ward_name, v.slots, v.slots_filled,
                   v.wage_min, v.wage_max, v.min_age, v.max_age, v.closing_date::text, v.status, coalesce(v.reference, '')
            FROM vacancies v JOIN employers e ON e.id = v.employer_id JOIN wards_2025 w ON w.ward_code = v.ward_code WHERE v.id = \(id)
            """,
            logger: logger
        ).decode((String, String, Int64, String, String, String, Int, Int, Int64?, Int64?, Int?, Int?, String, String, String).self)
        guard
            let (
                title, description, employerID, employer, occupation, ward, slots, filled, wageMin, wageMax, minAge, maxAge, closing, status,
                reference
            ) = try await rows.collect().first
        else { return nil }
        var detail = VacancyDetail(
            id: id,
            title: title,
            description: description,
            employerID: employerID,
            employer: employer,
            occupationCode: occupation,
            wardName: ward,
            slots: slots,
            slotsFilled: filled,
            wageMin: wageMin,
            wageMax: wageMax,
            minAge: minAge,
            maxAge: maxAge,
            closingDate: closing,
            status: status,
            reference: reference
        )
        guard withReferrals else { return detail }
        let referrals = try await connection.query(
            """
            SELECT r.id, r.worker_id, w.full_name, r.status, r.score, to_char(r.updated_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY')
            FROM referrals r JOIN workers w ON w.id = r.worker_id WHERE r.vacancy_id = \(id) ORDER BY r.updated_at DESC LIMIT 500
            """,
            logger: logger
        )
        for try await (referral, worker, name, status, score, updated) in referrals.decode((Int64, Int64, String, String, Int, String).self) {
            detail.referrals.append(.init(id: referral, workerID: worker, workerName: name, status: status, score: score, updated: updated))
        }
        return detail
    }
}
