import Logging
import PostgresNIO

extension WorkerService {
    /// The household, consents, training, referrals and placements around a worker's record.
    func history(of worker: WorkerView, logger: Logger) async throws -> WorkerHistory {
        let id = worker.id
        return try await self.client.withConnection { connection in
            var history = WorkerHistory()
            history.occupations = try await connection.query(
                """
                SELECT o.code, coalesce(o.title_vi, o.title_en) FROM worker_occupations wo JOIN occupations o ON o.code = wo.occupation_code
                WHERE wo.worker_id = \(id) ORDER BY 1
                """,
                logger: logger
            ).decode((String, String).self).collect().map { WorkerHistory.Occupation(code: $0, title: $1) }
            if let household = worker.householdId {
                let head = try await connection.query(
                    "SELECT head_name, household_code FROM households WHERE id = \(household)",
                    logger: logger
                )
                .decode((String, String?).self).collect().first
                let statuses = try await connection.query(
                    """
                    SELECT status, valid_from::text, valid_to::text, standard, decision_ref
                    FROM household_statuses WHERE household_id = \(household) ORDER BY valid_from DESC
                    """,
                    logger: logger
                ).decode((String, String, String?, String, String?).self).collect()
                history.household = WorkerHistory.Household(
                    id: household,
                    headName: head?.0,
                    code: head?.1,
                    statuses: statuses.map {
                        WorkerHistory.HouseholdStatusPeriod(status: $0, validFrom: $1, validTo: $2, standard: $3, decisionRef: $4)
                    }
                )
            }
            history.consents = try await Self.consents(of: id, on: connection, logger: logger)
            history.enrolments = try await connection.query(
                """
                SELECT c.id, c.title, c.start_date::text, c.end_date::text, e.status, e.certificate_number
                FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.worker_id = \(id) ORDER BY c.start_date DESC
                """,
                logger: logger
            ).decode((Int64, String, String, String, String, String?).self).collect().map {
                WorkerHistory.Enrolment(courseID: $0, title: $1, startDate: $2, endDate: $3, status: $4, certificateNumber: $5)
            }
            history.referrals = try await connection.query(
                """
                SELECT r.id, v.id, v.title, e.name, r.status, to_char(r.updated_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY')
                FROM referrals r JOIN vacancies v ON v.id = r.vacancy_id JOIN employers e ON e.id = v.employer_id
                WHERE r.worker_id = \(id) ORDER BY r.updated_at DESC LIMIT 50
                """,
                logger: logger
            ).decode((Int64, Int64, String, String, String, String).self).collect().map {
                WorkerHistory.Referral(id: $0, vacancyID: $1, vacancyTitle: $2, employerName: $3, status: $4, updatedOn: $5)
            }
            history.placements = try await connection.query(
                """
                SELECT p.id, p.channel, p.start_date::text, e.name, p.destination_country, p.contract_type, p.contract_end_date::text,
                       p.reverses_id IS NOT NULL,
                       EXISTS (SELECT 1 FROM placements r WHERE r.reverses_id = p.id)
                FROM placements p LEFT JOIN employers e ON e.id = p.employer_id WHERE p.worker_id = \(id) ORDER BY p.recorded_at DESC
                """,
                logger: logger
            ).decode((Int64, String, String, String?, String?, String?, String?, Bool, Bool).self).collect()
                .map {
                    WorkerHistory.Placement(
                        id: $0,
                        channel: $1,
                        startDate: $2,
                        employerName: $3,
                        destinationCountry: $4,
                        contractType: $5,
                        contractEndDate: $6,
                        isReversal: $7,
                        isReversed: $8
                    )
                }
            return history
        }
    }

    /// The 2025 wards and the legacy wards of the home territory (`HOME_PROVINCE`), by name, for the
    /// register and edit forms; a legacy ward names its province when they span several.
    func homeWards(_ home: HomeTerritory, logger: Logger) async throws -> (wards: [(String, String)], legacyWards: [(String, String)]) {
        try await self.client.withConnection { connection in
            let wards = try await connection.query(
                """
                SELECT DISTINCT w.ward_code, w.ward_name FROM legacy_wards lw
                JOIN ward_crosswalk c ON c.legacy_ward_code = lw.ward_code JOIN wards_2025 w ON w.ward_code = c.ward_code
                WHERE lw.province_code = ANY(\(home.legacyProvinces)) OR w.province_code = ANY(\(home.provinces2025)) ORDER BY 2, 1
                """,
                logger: logger
            ).decode((String, String).self).collect()
            let legacy = try await connection.query(
                """
                WITH l AS (
                    SELECT lw.* FROM legacy_wards lw
                    WHERE lw.province_code = ANY(\(home.legacyProvinces))
                       OR EXISTS (SELECT 1 FROM ward_crosswalk c JOIN wards_2025 w ON w.ward_code = c.ward_code
                                  WHERE c.legacy_ward_code = lw.ward_code AND w.province_code = ANY(\(home.provinces2025)))
                )
                SELECT ward_code, ward_name || ', ' || district_name ||
                       CASE WHEN (SELECT count(DISTINCT province_code) FROM l) > 1 THEN ', ' || province_name ELSE '' END
                FROM l ORDER BY province_name, district_name, ward_name
                """,
                logger: logger
            ).decode((String, String).self).collect()
            return (wards, legacy)
        }
    }
}
