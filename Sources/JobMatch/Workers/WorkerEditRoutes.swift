import Foundation
import Hummingbird

/// `PATCH /workers/{id}`: corrects a worker's record with JSON merge-patch semantics (a field
/// left out stays, `null` empties it), validated by the same rules as a new record; the audit
/// trail keeps the changed fields' values before and after (`WorkerService.edit`).
struct WorkerEditRoutes {
    let service: WorkerService

    /// The fields a patch may carry (snake_case, as in `POST /workers`).
    static let editableFields: Set<String> = [
        "full_name", "cccd", "cmnd", "birth_date", "sex", "ward_code", "legacy_ward_code", "household_id", "occupation_codes", "phone",
        "ethnicity", "disability_type", "disability_severity", "max_commute_km", "willing_abroad", "education_level",
        "qualification", "major", "current_job", "unemployed_since", "preferred_ward_codes", "preferred_legacy_district_codes",
        "job_seeking_status",
    ]

    func register(on group: RouterGroup<AppRequestContext>) {
        group.patch("workers/:id", use: self.edit)
    }

    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> WorkerView {
        let staff = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let patch = Data(buffer: try await request.body.collect(upTo: 1 << 20))
        guard let object = (try? JSONSerialization.jsonObject(with: patch)) as? [String: Any] else {
            throw AppError(
                .badRequest,
                kind: "bad-request",
                title: "Yêu cầu không hợp lệ",
                detail: "Nội dung gửi lên phải là một đối tượng JSON gồm các trường cần sửa.",
                field: nil
            )
        }
        if let unknown = object.keys.sorted().first(where: { !Self.editableFields.contains($0) }) {
            throw AppError.invalid(field: unknown, "Không sửa được trường '\(unknown)' ở đây.")
        }
        return try await self.service.edit(id, role: staff.role, by: try context.requirePrincipal(), logger: context.logger) { stored in
            try stored.merging(patch: patch)
        }
    }
}
