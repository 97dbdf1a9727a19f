import Foundation
import PostgresNIO

/// The employer API's POST /api/v1/vacancies in one prepared round trip, in autocommit:
/// `employer_post_vacancy` (migration 0028) takes the Idempotency-Key's lock, replays or refuses,
/// inserts the vacancy, its skills and its audit entry, and stores the answer under the key.
struct VacancyPostStatement: PostgresPreparedStatement {
    typealias Row = (outcome: String, status: Int?, headers: String?, body: ByteBuffer?, existingID: Int64?)
    static let name = "jobmatch_post_vacancy_v1"
    static let sql = """
        SELECT outcome, status, headers, body, existing_id
        FROM employer_post_vacancy($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13::integer, $14::date, $15, $16, $17,
                                   $18::integer, $19::integer, $20, $21, $22, $23, $24::bigint[], $25::jsonb)
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .int8, .text, .text, .text, .bytea, .text, .text, .text, .text, .text, .text, .text, .int8, .text, .int8, .int8, .text, .int8,
        .int8, .text, .text, .text, .bool, .int8Array, .text,
    ]

    let employerID: Int64
    /// The Idempotency-Key, when the request has one.
    let key: String?
    let method: String
    let path: String
    let requestHash: Data
    /// The answer's headers as a flat JSON object (stored with the answer for replays).
    let headersJSON: String
    /// The answer's body with the placeholders `employer_post_vacancy` fills in.
    let bodyTemplate: String
    let draft: VacancyDraft
    let ward: String
    let skills: [Int64]
    let auditJSON: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 25)
        let draft = self.draft
        bindings.append(self.employerID)
        bindings.append(self.key)
        bindings.append(self.method)
        bindings.append(self.path)
        try bindings.append(self.requestHash)
        bindings.append(self.headersJSON)
        bindings.append(self.bodyTemplate)
        bindings.append(draft.reference)
        bindings.append(draft.title)
        bindings.append(draft.description)
        bindings.append(draft.occupationCode)
        bindings.append(self.ward)
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

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (outcome, status, headers, body, existingID) = try row.decode((String, Int?, String?, ByteBuffer?, Int64?).self)
        return (outcome, status, headers, body, existingID)
    }
}
