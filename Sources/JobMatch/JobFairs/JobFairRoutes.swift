import Hummingbird
import JobMatchCore

/// The JSON door onto `JobFairService` under `/api/staff/job-fairs`: sessions, their employers and
/// vacancies, check-ins, interviews, offers and hires, the announcement and the report. Officers and
/// admins write (viewers are refused by the staff API's own rule); every role reads.
struct JobFairRoutes {
    let service: JobFairService

    /// `POST .../employers` body.
    struct EmployerBody: Decodable { var employerId: Int64? }
    /// `POST .../vacancies` body.
    struct VacancyBody: Decodable { var vacancyId: Int64? }
    /// `POST .../interviews` body.
    struct InterviewBody: Decodable {
        var attendanceId: Int64?
        var vacancyId: Int64?
    }
    /// What an announcement queued.
    struct Announced: ResponseCodable { let queued: Int }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("job-fairs", use: self.list)
        group.post("job-fairs", use: self.create)
        group.get("job-fairs/:id", use: self.show)
        group.post("job-fairs/:id/cancel", use: self.cancel)
        group.post("job-fairs/:id/employers", use: self.addEmployer)
        group.post("job-fairs/:id/vacancies", use: self.addVacancy)
        group.post("job-fairs/:id/check-ins", use: self.checkIn)
        group.post("job-fairs/:id/interviews", use: self.interview)
        group.post("job-fairs/:id/interviews/:interview/:step", use: self.step)
        group.post("job-fairs/:id/announce", use: self.announce)
        group.get("job-fairs/:id/report", use: self.report)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> JobFairView.SummaryList {
        _ = try context.requireStaff()
        return JobFairView.SummaryList(jobFairs: try await self.service.list(logger: context.logger))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<JobFairView.Summary> {
        let staff = try context.requireStaff()
        let fair = try ValidJobFair(try await request.decodeJSON(JobFairInput.self, context: context))
        let created = try await self.service.create(fair, staffID: staff.id, actor: context.principal, logger: context.logger)
        return EditedResponse(status: .created, response: created)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> JobFairView.Detail {
        _ = try context.requireStaff()
        return try await self.service.detail(try context.parameters.require("id", as: Int64.self), logger: context.logger)
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> JobFairView.Summary {
        _ = try context.requireStaff()
        return try await self.service.cancel(try context.parameters.require("id", as: Int64.self), actor: context.principal, logger: context.logger)
    }

    @Sendable func addEmployer(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<JobFairView.Detail> {
        let staff = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let body = try await request.decodeJSON(EmployerBody.self, context: context)
        try await self.service.addEmployer(id, employerID: body.employerId, staffID: staff.id, actor: context.principal, logger: context.logger)
        return EditedResponse(status: .created, response: try await self.service.detail(id, logger: context.logger))
    }

    @Sendable func addVacancy(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<JobFairView.Detail> {
        let staff = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let body = try await request.decodeJSON(VacancyBody.self, context: context)
        try await self.service.addVacancy(id, vacancyID: body.vacancyId, staffID: staff.id, actor: context.principal, logger: context.logger)
        return EditedResponse(status: .created, response: try await self.service.detail(id, logger: context.logger))
    }

    @Sendable func checkIn(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<JobFairView.Attendance> {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let body = try await request.decodeJSON(JobFairCheckIn.self, context: context)
        let attendance = try await self.service.checkIn(id, body, actor: try context.requirePrincipal(), logger: context.logger)
        return EditedResponse(status: .created, response: attendance)
    }

    @Sendable func interview(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<JobFairView.Interview> {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let body = try await request.decodeJSON(InterviewBody.self, context: context)
        let interview = try await self.service.interview(
            id,
            attendanceID: body.attendanceId,
            vacancyID: body.vacancyId,
            actor: try context.requirePrincipal(),
            logger: context.logger
        )
        return EditedResponse(status: .created, response: interview)
    }

    /// `POST .../interviews/{interview}/offer|decline|hire` (a hire's body: start day, wage, contract).
    @Sendable func step(_ request: Request, context: AppRequestContext) async throws -> JobFairView.Interview {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let interview = try context.parameters.require("interview", as: Int64.self)
        let actor = try context.requirePrincipal()
        switch context.parameters.get("step") {
        case "offer": return try await self.service.offer(id, interview: interview, actor: actor, logger: context.logger)
        case "decline": return try await self.service.decline(id, interview: interview, actor: actor, logger: context.logger)
        case "hire":
            let body = try await request.decodeJSON(JobFairHireInput.self, context: context)
            return try await self.service.hire(id, interview: interview, body, actor: actor, logger: context.logger)
        default: throw AppError.notFound("bước \(context.parameters.get("step") ?? "")")
        }
    }

    @Sendable func announce(_ request: Request, context: AppRequestContext) async throws -> Announced {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        return Announced(queued: try await self.service.announce(id, actor: try context.requirePrincipal(), logger: context.logger))
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> JobFairReport {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        return try await self.service.report(id, today: LocalDate.today(), logger: context.logger)
    }
}
