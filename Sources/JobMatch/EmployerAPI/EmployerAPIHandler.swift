import EmployerAPI
import Foundation
import JobMatchCore
import Logging
import OpenAPIRuntime
import PostgresNIO

/// The employer API, implementing the handlers generated from `openapi.yaml`. The calling
/// employer, the request's logger and transaction come from `EmployerCallerMiddleware` as
/// `EmployerCaller`, handed on to the repositories; another employer's object answers 404.
/// Referral and webhook operations are in the extensions next to this file.
struct EmployerAPIHandler: APIProtocol {
    let vacancies: VacancyRepository
    let referrals: EmployerReferrals
    let webhooks: WebhookRepository

    /// Compact JSON (no indentation) with sorted keys, so the same answer is the same bytes every
    /// time; dates as ISO 8601 in whole seconds; `PrettyJSONMiddleware` indents an answer for a
    /// client that asks (`?pretty`).
    static let configuration = Configuration(jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes])

    func createVacancy(_ input: Operations.CreateVacancy.Input) async throws -> Operations.CreateVacancy.Output {
        let caller = try Self.caller()
        guard case .json(let body) = input.body else { throw Self.notJSON }
        let record = try await self.vacancies.create(try VacancyDraft(body), caller: caller)
        return .created(.init(body: .json(Self.view(record))))
    }

    func upsertVacancyByReference(_ input: Operations.UpsertVacancyByReference.Input) async throws -> Operations.UpsertVacancyByReference.Output {
        let caller = try Self.caller()
        guard case .json(let body) = input.body else { throw Self.notJSON }
        let draft = try VacancyDraft(body, reference: input.path.reference)
        let (record, created) = try await self.vacancies.upsert(reference: draft.reference!, with: draft, caller: caller)
        return created ? .created(.init(body: .json(Self.view(record)))) : .ok(.init(body: .json(Self.view(record))))
    }

    func listVacancies(_ input: Operations.ListVacancies.Input) async throws -> Operations.ListVacancies.Output {
        let caller = try Self.caller()
        let limit = try Self.limit(input.query.limit)
        let cursor = try input.query.cursor.map { token in
            guard let cursor = PageCursor(token: token) else { throw AppError.invalid(field: "cursor", "Con trỏ trang không hợp lệ.") }
            return cursor
        }
        let records = try await self.vacancies.list(
            caller: caller,
            status: input.query.status?.rawValue,
            updatedSince: input.query.updatedSince,
            limit: limit + 1,
            after: cursor
        )
        let page = Array(records.prefix(limit))
        let next = records.count > limit ? page.last?.cursor.token : nil
        return .ok(.init(body: .json(.init(vacancies: page.map(Self.view), nextCursor: next))))
    }

    func getVacancy(_ input: Operations.GetVacancy.Input) async throws -> Operations.GetVacancy.Output {
        let caller = try Self.caller()
        guard let record = try await self.vacancies.find(id: input.path.vacancyId, caller: caller) else {
            throw AppError.notFound("vị trí tuyển dụng \(input.path.vacancyId)")
        }
        return .ok(.init(body: .json(Self.view(record))))
    }

    func updateVacancy(_ input: Operations.UpdateVacancy.Input) async throws -> Operations.UpdateVacancy.Output {
        let caller = try Self.caller()
        guard case .json(let body) = input.body else { throw Self.notJSON }
        let record = try await self.vacancies.update(id: input.path.vacancyId, with: try VacancyDraft(body), caller: caller)
        return .ok(.init(body: .json(Self.view(record))))
    }

    func closeVacancy(_ input: Operations.CloseVacancy.Input) async throws -> Operations.CloseVacancy.Output {
        let record = try await self.vacancies.setStatus(id: input.path.vacancyId, open: false, caller: try Self.caller())
        return .ok(.init(body: .json(Self.view(record))))
    }

    func reopenVacancy(_ input: Operations.ReopenVacancy.Input) async throws -> Operations.ReopenVacancy.Output {
        let record = try await self.vacancies.setStatus(id: input.path.vacancyId, open: true, caller: try Self.caller())
        return .ok(.init(body: .json(Self.view(record))))
    }

    func listSkills(_ input: Operations.ListSkills.Input) async throws -> Operations.ListSkills.Output {
        let caller = try Self.caller()
        let skills = try await SkillCatalogue(client: self.vacancies.client).search(input.query.q, limit: 500, logger: caller.logger)
        return .ok(.init(body: .json(.init(skills: skills.map { .init(id: $0.id, name: $0.name) }))))
    }

    /// The request's caller, bound by `EmployerCallerMiddleware`.
    static func caller() throws -> EmployerCaller {
        guard let caller = EmployerCaller.current else { throw AppError.unauthorized }
        return caller
    }

    static let notJSON = AppError(
        .unsupportedMediaType,
        kind: "unsupported-media-type",
        title: "Kiểu nội dung không được hỗ trợ",
        detail: "Nội dung phải là JSON (Content-Type: application/json)."
    )

    /// A page size: 50 by default, at most 100.
    static func limit(_ value: Int?) throws -> Int {
        let limit = value ?? 50
        guard (1...100).contains(limit) else { throw AppError.invalid(field: "limit", "limit phải từ 1 đến 100.") }
        return limit
    }

    static func view(_ record: VacancyRecord) -> Components.Schemas.Vacancy {
        let contact: Components.Schemas.Contact? =
            record.contactName == nil && record.contactPhone == nil && record.contactEmail == nil
            ? nil : .init(name: record.contactName, phone: record.contactPhone, email: record.contactEmail)
        return .init(
            id: record.id,
            reference: record.reference,
            title: record.title,
            description: record.description,
            occupationCode: record.occupationCode,
            skills: record.skills,
            wardCode: record.wardCode,
            wardName: record.wardName,
            legacyWardCode: record.legacyWardCode,
            slots: record.slots,
            slotsFilled: record.slotsFilled,
            wageMin: record.wageMin,
            wageMax: record.wageMax,
            workingHours: record.workingHours,
            minAge: record.minAge,
            maxAge: record.maxAge,
            closingDate: record.closingDate,
            contact: contact,
            openToAbroadBound: record.openToAbroadBound,
            status: Components.Schemas.VacancyStatus(rawValue: record.status) ?? .open,
            createdAt: record.createdAt,
            updatedAt: record.updatedAt
        )
    }
}
