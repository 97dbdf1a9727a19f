import EmployerAPI
import Foundation
import HTTPTypes
import Hummingbird
import JobMatchCore
import Logging
import OpenAPIRuntime
import PostgresNIO

/// POST /api/v1/vacancies in one round trip for the common case: a JSON body that decodes and
/// passes every rule, a 2025 ward, an occupation and skill names the in-memory catalogues know.
/// Swift decodes, validates and renders the answer (with placeholders for the id and the times);
/// `VacancyPostStatement` does the rest in one prepared call in autocommit. Anything else (a body
/// that fails a rule, a legacy ward, an unknown code or skill name) goes the ordinary way, through
/// the generated handler in the middleware's transaction, which words every error as before.
struct VacancyPostShortcut: Sendable {
    let client: PostgresClient
    let catalogue: ReferenceCatalogue
    let skills: SkillNameIndex
    static let path = "/api/v1/vacancies"
    /// The headers of the generated handler's JSON answers, stored with the answer for replays.
    static let headers: [String: String] = ["Content-Type": "application/json; charset=utf-8"]

    /// The answer, or nil when the request is not the common case.
    func respond(
        to request: Request,
        body: ByteBuffer,
        employerID: Int64,
        key: String?,
        requestHash: Data,
        logger: Logger
    ) async throws -> Response? {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true,
            let input = try? JSONDecoder().decode(Components.Schemas.VacancyInput.self, from: Data(buffer: body)),
            let draft = try? VacancyDraft(input),
            draft.legacyWardCode == nil, let ward = draft.wardCode, let wardName = self.catalogue.wardName(ward),
            self.catalogue.hasOccupation(draft.occupationCode),
            let skills = try await self.skills.resolve(draft.skillNames, client: self.client, logger: logger)
        else { return nil }
        let record = VacancyRecord(placeholderFor: draft, ward: ward, wardName: wardName, skills: skills.map(\.name))
        let template = String(decoding: try Self.makeEncoder().encode(EmployerAPIHandler.view(record)), as: UTF8.self)
        let statement = VacancyPostStatement(
            employerID: employerID,
            key: key,
            method: request.method.rawValue,
            path: request.uri.path,
            requestHash: requestHash,
            headersJSON: FlatJSON.encode(Self.headers),
            bodyTemplate: template,
            draft: draft,
            ward: ward,
            skills: skills.map(\.id),
            auditJSON: AuditLog.json(draft.auditValues(ward: ward)) ?? "{}"
        )
        var result: VacancyPostStatement.Row?
        for try await row in try await self.client.execute(statement, logger: logger) { result = row }
        guard let result else { throw CreateVacancyStatement.NoRow() }
        switch result.outcome {
        case "busy":
            throw IdempotencyMiddleware.busy
        case "key_reused":
            throw IdempotencyMiddleware.keyReused
        case "reference_taken":
            let existing = result.existingID ?? 0
            throw AppError.conflict(
                "Mã tham chiếu \(draft.reference ?? "") đã dùng cho vị trí \(existing).",
                field: "reference",
                extra: ["existing_id": existing]
            )
        default:
            guard let status = result.status, let headersJSON = result.headers, let body = result.body else {
                throw CreateVacancyStatement.NoRow()
            }
            return IdempotencyMiddleware.response(status: status, headersJSON: headersJSON, body: body, replayed: result.outcome == "replayed")
        }
    }

    /// The generated handlers' JSON encoder (`EmployerAPIHandler.configuration`), so the answer is
    /// the document the handler would give.
    static func makeEncoder() -> JSONEncoder {
        let configuration = EmployerAPIHandler.configuration
        let encoder = JSONEncoder()
        var formatting: JSONEncoder.OutputFormatting = []
        if configuration.jsonEncodingOptions.contains(.prettyPrinted) { formatting.insert(.prettyPrinted) }
        if configuration.jsonEncodingOptions.contains(.sortedKeys) { formatting.insert(.sortedKeys) }
        if configuration.jsonEncodingOptions.contains(.withoutEscapingSlashes) { formatting.insert(.withoutEscapingSlashes) }
        encoder.outputFormatting = formatting
        let transcoder = configuration.dateTranscoder
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(try transcoder.encode(date))
        }
        return encoder
    }
}
