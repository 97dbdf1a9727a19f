import Foundation
import Hummingbird
import JobMatchCore

/// `/workers`: register, find and read workers (trainees and job seekers: one person, one
/// record, keyed by CCCD) through `WorkerService`.
struct WorkerRoutes {
    let service: WorkerService

    /// A page of search results.
    struct WorkerPage: ResponseCodable {
        let workers: [WorkerSearch.Row]
        let nextCursor: String?
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("workers", use: self.search)
        group.post("workers", use: self.create)
        group.get("workers/:id", use: self.show)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        _ = try context.requireStaff()
        let input = try await request.decodeJSON(WorkerInput.self, context: context)
        let id = try await self.service.register(input, by: try context.requirePrincipal(), logger: context.logger)
        return EditedResponse(status: .created, response: CreatedID(id: id))
    }

    /// `GET /workers?q=&ward_code=&legacy_district_code=&household_status=&occupation_code=&job_seeking_status=&limit=&after=`
    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> WorkerPage {
        _ = try context.requireStaff()
        let query = request.uri.queryParameters
        var criteria = WorkerSearch.Criteria()
        criteria.text = query.get("q")
        if let q = criteria.text, q.count > 100 { throw AppError.invalid(field: "q", "Từ khóa tìm kiếm dài quá 100 ký tự.") }
        criteria.wardCode = try query.get("ward_code").map { try Input.wardCode($0, field: "ward_code") }
        criteria.legacyDistrictCode = try query.get("legacy_district_code").map { code throws(FieldError) in
            try WorkerRules.legacyDistrictCode(code, field: "legacy_district_code")
        }
        criteria.householdStatus = try query.get("household_status").map { try Input.choice($0, as: HouseholdStatus.self, field: "household_status") }
        criteria.occupationCode = try query.get("occupation_code").map { try Input.occupationCode($0, field: "occupation_code") }
        if let seeking = query.get("job_seeking_status") {
            guard ["seeking", "employed", "not_seeking"].contains(seeking) else {
                throw AppError.invalid(field: "job_seeking_status", "Trạng thái tìm việc chỉ nhận: seeking, employed, not_seeking.")
            }
            criteria.jobSeekingStatus = seeking
        }
        criteria.limit = try Input.limit(query.get("limit"), default: 50, maximum: 200)
        if let after = query.get("after") {
            guard let cursor = WorkerSearch.Cursor(token: after) else { throw AppError.invalid(field: "after", "Con trỏ trang không hợp lệ.") }
            criteria.after = cursor
        }
        let (rows, next) = try await self.service.search(criteria, logger: context.logger)
        return WorkerPage(workers: rows, nextCursor: next?.token)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> WorkerView {
        let staff = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        return try await self.service.view(id, role: staff.role, by: try context.requirePrincipal(), logger: context.logger)
    }
}
