import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// Everything the worker page shows around the record: the household and its status history,
/// consents, enrolments, referrals and placements (ledger rows, reversals marked).
struct WorkerRecord {
    let values: [String: Any]

    static func load(_ worker: WorkerRoutes.WorkerView, on connection: PostgresConnection, logger: Logger) async throws -> WorkerRecord {
        let id = worker.id
        var values: [String: Any] = [
            "id": id, "name": worker.fullName, "birth": WebDates.display(worker.birthDate), "sex": WebLabels.word(worker.sex, in: WebLabels.sex),
            "cccd": worker.cccd ?? "", "cmnd": worker.cmnd ?? "", "phone": worker.phone ?? "", "ward": worker.wardName,
            "ethnicity": worker.ethnicity ?? "",
            "disability": worker.disabilityType.map { WebLabels.word($0, in: WebLabels.disabilityType) + " (" +
                WebLabels.word(worker.disabilitySeverity, in: WebLabels.disabilitySeverity).lowercased() + ")" } ?? "",
            "education": WebLabels.word(worker.educationLevel, in: WebLabels.education),
            "qualification": WebLabels.word(worker.qualification, in: WebLabels.qualification),
            "major": worker.major ?? "", "currentJob": worker.currentJob ?? "",
            "seeking": WebLabels.word(worker.jobSeekingStatus, in: WebLabels.jobSeeking),
            "commute": worker.maxCommuteKm.map { "\($0) km" } ?? "", "abroad": worker.willingAbroad ? "Có" : "Không",
            "householdStatus": HouseholdStatus(rawValue: worker.householdStatus)?.vietnamese ?? worker.householdStatus,
            "mergedInto": worker.mergedInto ?? 0, "isMerged": worker.mergedInto != nil, "anonymised": worker.anonymised,
        ]
        let occupations = try await connection.query(
            "SELECT o.code, o.title_en FROM worker_occupations wo JOIN occupations o ON o.code = wo.occupation_code WHERE wo.worker_id = \(id) ORDER BY 1",
            logger: logger).decode((String, String).self).collect()
        values["occupations"] = occupations.map { code, english in
            ["code": code, "title": WebLabels.commonOccupations.first { $0.0 == code }?.1 ?? english]
        }
        if let household = worker.householdId {
            let head = try await connection.query(
                "SELECT head_name, coalesce(household_code, '') FROM households WHERE id = \(household)", logger: logger)
                .decode((String, String).self).collect().first
            let statuses = try await connection.query(
                """
                SELECT status, valid_from::text, coalesce(valid_to::text, ''), standard, coalesce(decision_ref, '')
                FROM household_statuses WHERE household_id = \(household) ORDER BY valid_from DESC
                """, logger: logger).decode((String, String, String, String, String).self).collect()
            values["household"] = [
                "id": household, "head": head?.0 ?? "", "code": head?.1 ?? "",
                "statuses": statuses.map { status, from, to, standard, decision in
                    ["status": HouseholdStatus(rawValue: status)?.vietnamese ?? status, "from": WebDates.display(from),
                     "to": to.isEmpty ? "nay" : WebDates.display(to), "standard": WebLabels.word(standard, in: WebLabels.householdStandard),
                     "decision": decision]
                },
            ] as [String: Any]
        }
        let consents = try await connection.query(
            """
            SELECT id, purpose, means, to_char(given_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY'),
                   coalesce(to_char(withdrawn_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY'), '')
            FROM worker_consents WHERE worker_id = \(id) ORDER BY given_at DESC, id DESC
            """, logger: logger).decode((Int64, String, String, String, String).self).collect()
        values["consents"] = consents.map { consentID, purpose, means, given, withdrawn in
            ["id": consentID, "purpose": WebLabels.word(purpose, in: WebLabels.consentPurpose), "means": WebLabels.word(means, in: WebLabels.consentMeans),
             "given": given, "withdrawn": withdrawn, "active": withdrawn.isEmpty]
        }
        let enrolments = try await connection.query(
            """
            SELECT c.id, c.title, c.start_date::text, c.end_date::text, e.status, coalesce(e.certificate_number, '')
            FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.worker_id = \(id) ORDER BY c.start_date DESC
            """, logger: logger).decode((Int64, String, String, String, String, String).self).collect()
        values["enrolments"] = enrolments.map { course, title, start, end, status, certificate in
            ["course": course, "title": title, "start": WebDates.display(start), "end": WebDates.display(end),
             "status": WebLabels.word(status, in: WebLabels.enrolmentStatus), "certificate": certificate]
        }
        let referrals = try await connection.query(
            """
            SELECT r.id, v.id, v.title, e.name, r.status, to_char(r.updated_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY')
            FROM referrals r JOIN vacancies v ON v.id = r.vacancy_id JOIN employers e ON e.id = v.employer_id
            WHERE r.worker_id = \(id) ORDER BY r.updated_at DESC LIMIT 50
            """, logger: logger).decode((Int64, Int64, String, String, String, String).self).collect()
        values["referrals"] = referrals.map { referral, vacancy, title, employer, status, updated in
            ["id": referral, "vacancy": vacancy, "title": title, "employer": employer,
             "status": WebLabels.word(status, in: WebLabels.referralStatus), "updated": updated]
        }
        let placements = try await connection.query(
            """
            SELECT p.id, p.channel, p.start_date::text, coalesce(e.name, ''), coalesce(p.destination_country, ''), p.reverses_id IS NOT NULL,
                   EXISTS (SELECT 1 FROM placements r WHERE r.reverses_id = p.id)
            FROM placements p LEFT JOIN employers e ON e.id = p.employer_id WHERE p.worker_id = \(id) ORDER BY p.recorded_at DESC
            """, logger: logger).decode((Int64, String, String, String, String, Bool, Bool).self).collect()
        values["placements"] = placements.map { placement, channel, start, employer, country, isReversal, reversed in
            ["id": placement, "channel": WebLabels.word(channel, in: WebLabels.placementChannel), "start": WebDates.display(start),
             "where": country.isEmpty ? employer : CountryNames.vietnamese(country), "isReversal": isReversal, "reversed": reversed]
        }
        values["workerId"] = id
        for name in ["consents", "enrolments", "referrals", "placements"] {
            values["has" + name.prefix(1).uppercased() + name.dropFirst()] = !((values[name] as? [[String: Any]]) ?? []).isEmpty
        }
        return WorkerRecord(values: values)
    }
}
