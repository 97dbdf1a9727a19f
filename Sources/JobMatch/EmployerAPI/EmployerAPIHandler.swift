import EmployerAPI
import Foundation
import JobMatchCore
import Logging
import OpenAPIRuntime

/// The employer API, implementing the handlers generated from `openapi.yaml`. The calling
/// employer comes from `EmployerOnlyMiddleware`; another employer's vacancy answers 404.
struct EmployerAPIHandler: APIProtocol {
    let vacancies: VacancyRepository

    func createVacancy(_ input: Operations.CreateVacancy.Input) async throws -> Operations.CreateVacancy.Output {
        let caller = try Self.caller()
        guard case .json(let body) = input.body else { throw AppError.invalid(field: "body", "Nội dung phải là JSON.") }
        let record = try await self.vacancies.create(try Self.draft(body), caller: caller)
        return .created(.init(body: .json(Self.view(record))))
    }

    func listVacancies(_ input: Operations.ListVacancies.Input) async throws -> Operations.ListVacancies.Output {
        let caller = try Self.caller()
        let limit = input.query.limit ?? 50
        guard (1...100).contains(limit) else { throw AppError.invalid(field: "limit", "limit phải từ 1 đến 100.") }
        let records = try await self.vacancies.list(employerID: caller.employerID, status: input.query.status?.rawValue, limit: limit)
        return .ok(.init(body: .json(.init(vacancies: records.map(Self.view)))))
    }

    func getVacancy(_ input: Operations.GetVacancy.Input) async throws -> Operations.GetVacancy.Output {
        let caller = try Self.caller()
        guard let record = try await self.vacancies.find(id: input.path.vacancyId, employerID: caller.employerID) else {
            throw AppError.notFound("vị trí tuyển dụng \(input.path.vacancyId)")
        }
        return .ok(.init(body: .json(Self.view(record))))
    }

    private static func caller() throws -> EmployerCaller {
        guard let caller = EmployerCaller.current else { throw AppError.unauthorized }
        return caller
    }

    /// Validates a posted vacancy with the same rules as the registry.
    static func draft(_ body: Components.Schemas.VacancyInput) throws -> VacancyDraft {
        let title = try CleanText.required(body.title, field: "title", label: "Tên vị trí", maxLength: 200)
        let description = try CleanText.optional(body.description, field: "description", label: "Mô tả", maxLength: 5000)
        let reference = try CleanText.optional(body.reference, field: "reference", label: "Mã tham chiếu", maxLength: 100)
        let occupation = try Input.occupationCode(body.occupationCode, field: "occupation_code")
        let ward = try Input.wardCode(body.wardCode, field: "ward_code")
        guard (1...10000).contains(body.slots) else { throw AppError.invalid(field: "slots", "Số lượng cần tuyển phải từ 1 đến 10.000.") }
        let closing = try Input.date(body.closingDate, field: "closing_date", label: "Hạn nộp hồ sơ")
        guard closing >= LocalDate.today() else { throw AppError.invalid(field: "closing_date", "Hạn nộp hồ sơ không thể ở quá khứ.") }
        for (value, field) in [(body.wageMin, "wage_min"), (body.wageMax, "wage_max")] {
            if let value, !(0...1_000_000_000).contains(value) {
                throw AppError.invalid(field: field, "Mức lương phải từ 0 đến 1.000.000.000 đồng/tháng.")
            }
        }
        if let low = body.wageMin, let high = body.wageMax, high < low {
            throw AppError.invalid(field: "wage_max", "Mức lương tối đa phải không nhỏ hơn mức lương tối thiểu.")
        }
        return VacancyDraft(reference: reference, title: title, description: description, occupationCode: occupation, wardCode: ward,
                            slots: body.slots, closingDate: closing, wageMin: body.wageMin, wageMax: body.wageMax)
    }

    static func view(_ record: VacancyRecord) -> Components.Schemas.Vacancy {
        .init(id: record.id, reference: record.reference, title: record.title, description: record.description,
              occupationCode: record.occupationCode, wardCode: record.wardCode, slots: record.slots, slotsFilled: record.slotsFilled,
              closingDate: record.closingDate, wageMin: record.wageMin, wageMax: record.wageMax,
              status: Components.Schemas.VacancyStatus(rawValue: record.status) ?? .open, createdAt: record.createdAt)
    }
}
