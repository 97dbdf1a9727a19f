import Foundation
import PostgresNIO

/// Inserts a vacancy with its skills and its audit entry and returns it (by named columns, as
/// `VacancyRecord(row:)` reads them), in one statement that each connection prepares once (it is
/// the busiest write of the employer API, and planning it anew on every call cost more than running it).
/// Its columns are listed rather than `v.*`, so that a column added to the table later does not change
/// the result of a statement connections have already prepared.
struct CreateVacancyStatement: PostgresPreparedStatement {
    typealias Row = VacancyRecord
    static let name = "jobmatch_create_vacancy_v2"
    static let sql = """
        WITH v AS (
            INSERT INTO vacancies (employer_id, reference, title, description, occupation_code, ward_code, legacy_ward_code, slots,
                                   closing_date, wage_min, wage_max, working_hours, min_age, max_age, contact_name, contact_phone,
                                   contact_email, open_to_abroad_bound)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::date, $10, $11, $12, $13, $14, $15, $16, $17, $18)
            RETURNING *
        ), skill AS (
            INSERT INTO vacancy_skills (vacancy_id, skill_id) SELECT v.id, unnest($19::bigint[]) FROM v
        ), audit AS (
            INSERT INTO audit_log (actor_kind, actor_id, action, entity, entity_id, after)
            SELECT 'employer', $1, 'create', 'vacancy', v.id::text, $20::jsonb FROM v
        )
        SELECT v.id, v.reference, v.title, v.description, v.occupation_code, v.ward_code, v.legacy_ward_code, v.slots, v.slots_filled,
               v.wage_min, v.wage_max, v.working_hours, v.min_age, v.max_age, v.contact_name, v.contact_phone, v.contact_email,
               v.open_to_abroad_bound, v.status,
               (SELECT wd.ward_name FROM wards_2025 wd WHERE wd.ward_code = v.ward_code) AS ward_name,
               v.closing_date::text AS closing_day,
               ARRAY(SELECT s.name_vi FROM skills s WHERE s.id = ANY($19::bigint[]) ORDER BY s.name_vi COLLATE "vi-VN-x-icu") AS skill_names,
               (extract(epoch FROM v.created_at) * 1000000)::bigint AS created_micros,
               (extract(epoch FROM v.updated_at) * 1000000)::bigint AS updated_micros
        FROM v
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .int8, .text, .text, .text, .text, .text, .text, .int8, .text, .int8, .int8, .text, .int8, .int8, .text, .text, .text, .bool,
        .int8Array, .text,
    ]

    /// An insert that returned nothing (cannot happen without an error from PostgreSQL).
    struct NoRow: Error {}

    let employerID: Int64
    let draft: VacancyDraft
    let ward: String
    let skills: [Int64]
    let auditJSON: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 20)
        let draft = self.draft
        bindings.append(self.employerID)
        bindings.append(draft.reference)
        bindings.append(draft.title)
        bindings.append(draft.description)
        bindings.append(draft.occupationCode)
        bindings.append(self.ward)
        bindings.append(draft.legacyWardCode)
        bindings.append(Int64(draft.slots))
        bindings.append(draft.closingDate.description)
        bindings.append(draft.wageMin)
        bindings.append(draft.wageMax)
        bindings.append(draft.workingHours)
        bindings.append(draft.minAge.map(Int64.init))
        bindings.append(draft.maxAge.map(Int64.init))
        bindings.append(draft.contactName)
        bindings.append(draft.contactPhone)
        bindings.append(draft.contactEmail)
        bindings.append(draft.openToAbroadBound)
        bindings.append(self.skills)
        bindings.append(self.auditJSON)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> VacancyRecord {
        try VacancyRecord(row: row)
    }
}
