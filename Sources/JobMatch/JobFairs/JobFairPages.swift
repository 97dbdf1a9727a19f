import Foundation
import Hummingbird
import JobMatchCore

/// `/job-fairs`: the sessions and a form to create one; `/job-fairs/{id}`: a session with its
/// employers and vacancies, the check-in form (CCCD or letter code, a link to register a walk-in),
/// who came, and the interviews with their offer, hire and decline actions. The page door onto
/// `JobFairService`; a refused form comes back as the page with the message.
struct JobFairPages {
    let service: JobFairService
    let workers: WorkerService
    let renderer: WebRenderer
    let homeTerritory: HomeTerritory

    var routes: [WebRoute] {
        [
            .get("job-fairs", self.list),
            .post("job-fairs", self.create),
            .get("job-fairs/:id", self.show),
            .post("job-fairs/:id/employers", self.addEmployer),
            .post("job-fairs/:id/vacancies", self.addVacancy),
            .post("job-fairs/:id/check-ins", self.checkIn),
            .post("job-fairs/:id/interviews", self.interview),
            .post("job-fairs/:id/interviews/:interview/offer", self.offer),
            .post("job-fairs/:id/interviews/:interview/decline", self.decline),
            .post("job-fairs/:id/interviews/:interview/hire", self.hire),
            .post("job-fairs/:id/announce", self.announce),
            .post("job-fairs/:id/cancel", self.cancel),
        ] + JobFairWalkInPage(service: self.service, workers: self.workers, renderer: self.renderer, homeTerritory: self.homeTerritory).routes
            + JobFairReportPage(service: self.service, renderer: self.renderer).routes
    }

    /// What a list row shows.
    static func row(_ fair: JobFairView.Summary) -> [String: Any] {
        [
            "id": fair.id, "title": fair.title, "day": WebDates.display(fair.heldOn), "place": fair.place, "ward": fair.wardName,
            "kind": fair.kindName, "state": fair.stateName, "cancelled": fair.state == "cancelled", "employers": fair.employers,
            "attendees": fair.attendees,
        ]
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.listPage(context: context, typed: [:], message: "", status: .ok)
    }

    private func listPage(context: AppRequestContext, typed: [String: String], message: String, status: HTTPResponse.Status) async throws -> Response
    {
        let fairs = try await self.service.list(logger: context.logger)
        let wards = try await self.workers.homeWards(self.homeTerritory, logger: context.logger).wards
        func options(_ list: [(String, String)], _ name: String) -> [[String: Any]] {
            list.map { ["value": $0.0, "text": $0.1, "selected": typed[name] == $0.0] }
        }
        return self.renderer.page(
            "job_fairs",
            title: "Phiên giao dịch việc làm",
            context: context,
            values: [
                "fairs": fairs.map(Self.row), "hasFairs": !fairs.isEmpty, "message": message,
                "wards": options(wards, "ward_code"), "kinds": options(JobFairKind.choices, "kind"),
                "typedTitle": typed["title"] ?? "", "typedDay": typed["held_on"] ?? "", "typedPlace": typed["place"] ?? "",
            ],
            section: "jobfairs",
            status: status
        )
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await WebForm.read(request, context: context)
        let staff = try context.requireStaff()
        return try await WebSubmit.run(context: context) {
            let input = JobFairInput(
                title: form.text("title"),
                heldOn: try WebDates.iso(form.text("held_on"), field: "held_on"),
                place: form.text("place"),
                wardCode: form.text("ward_code"),
                kind: form.text("kind")
            )
            let fair = try await self.service.create(try ValidJobFair(input), staffID: staff.id, actor: context.principal, logger: context.logger)
            return WebRenderer.redirect("/job-fairs/\(fair.id)?done=created")
        } redisplay: { error in
            try await self.listPage(context: context, typed: form.fields, message: error.detail ?? error.title, status: error.status)
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        return try await self.detailPage(id, context: context, done: request.uri.queryParameters.get("done") ?? "", message: "", status: .ok)
    }

    /// The messages a `?done=` shows.
    static let done = [
        "created": "Đã tạo phiên.", "employer": "Đã thêm doanh nghiệp.", "vacancy": "Đã thêm vị trí việc làm.",
        "checked_in": "Đã ghi người lao động vào phiên.", "interview": "Đã ghi buổi phỏng vấn.", "offer": "Đã ghi lời mời nhận việc.",
        "hire": "Đã ghi người được tuyển (tính vào kết quả giải quyết việc làm).", "decline": "Đã ghi không nhận việc.",
        "cancelled": "Đã hủy phiên.",
    ]

    private func detailPage(
        _ id: Int64,
        context: AppRequestContext,
        done: String,
        message: String,
        status: HTTPResponse.Status
    ) async throws
        -> Response
    {
        let detail = try await self.service.detail(id, logger: context.logger)
        let choices = try await self.service.choices(id, logger: context.logger)
        let fair = detail.jobFair
        let open = fair.state != "cancelled"
        var doneText = Self.done[done] ?? ""
        if done.hasPrefix("announced-"), let count = Int(done.dropFirst("announced-".count)) {
            doneText = count == 0 ? "Không có người lao động phù hợp nào để gửi tin báo." : "Đã xếp \(count) tin nhắn báo phiên vào hộp thư đi."
        }
        let vacancies = detail.employers.flatMap { employer in employer.vacancies.map { (employer.name, $0) } }
        return self.renderer.page(
            "job_fair",
            title: fair.title,
            context: context,
            values: [
                "fair": Self.row(fair), "fairId": fair.id, "open": open,
                "upcoming": fair.state == "planned" || fair.heldOn == LocalDate.today().description,
                "done": doneText, "message": message,
                "announced": fair.announcedAt.map { WebDates.display(String($0.prefix(10))) } ?? "",
                "employers": detail.employers.map { employer -> [String: Any] in
                    [
                        "name": employer.name, "id": employer.id,
                        "vacancies": employer.vacancies.map { ["id": $0.id, "title": $0.title, "slots": $0.slots, "filled": $0.slotsFilled] },
                    ]
                },
                "hasEmployers": !detail.employers.isEmpty,
                "employerChoices": choices.employers.map { ["value": $0.0, "text": $0.1] }, "hasEmployerChoices": !choices.employers.isEmpty,
                "vacancyChoices": choices.vacancies.map { ["value": $0.0, "text": $0.1] }, "hasVacancyChoices": !choices.vacancies.isEmpty,
                "attendances": detail.attendances.map { a -> [String: Any] in
                    [
                        "worker": a.workerId, "name": a.workerName, "means": JobFairView.meansName(a.means),
                        "at": WebDates.display(String(a.checkedInAt.prefix(10))) + " " + String(a.checkedInAt.dropFirst(11).prefix(5)),
                    ]
                },
                "hasAttendances": !detail.attendances.isEmpty,
                "attendanceChoices": detail.attendances.map { ["value": $0.id, "text": "\($0.workerName) (mã \($0.workerId))"] },
                "fairVacancies": vacancies.map { ["value": $0.1.id, "text": "\($0.1.title) · \($0.0)"] },
                "canInterview": !detail.attendances.isEmpty && !vacancies.isEmpty,
                "interviews": detail.interviews.map { i -> [String: Any] in
                    [
                        "id": i.id, "worker": i.workerId, "name": i.workerName, "vacancy": i.vacancyTitle, "employer": i.employer,
                        "stage": JobFairView.stageName(i.stage), "canOffer": i.stage == "interviewed", "canHire": i.stage == "offered",
                        "canDecline": i.stage == "interviewed" || i.stage == "offered", "placement": i.placementId.map { "\($0)" } ?? "",
                    ]
                },
                "hasInterviews": !detail.interviews.isEmpty,
                "contracts": ContractType.allCases.filter { $0 != .selfEmployment }.map { ["value": $0.rawValue, "text": $0.vietnamese] },
                "today": LocalDate.today().vietnamese,
            ],
            section: "jobfairs",
            status: status
        )
    }

    /// Runs a form of the session page: back to the page with `done`, or the page with the refusal.
    private func submit(
        _ request: Request,
        context: AppRequestContext,
        done: String,
        _ action: @escaping (Int64, WebForm, Principal) async throws -> String?
    ) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let form = try await WebForm.read(request, context: context)
        let actor = try context.requirePrincipal()
        return try await WebSubmit.run(context: context) {
            let result = try await action(id, form, actor)
            return WebRenderer.redirect("/job-fairs/\(id)?done=\(result ?? done)")
        } redisplay: { error in
            if error.status == .notFound { throw error }
            return try await self.detailPage(id, context: context, done: "", message: error.detail ?? error.title, status: error.status)
        }
    }

    @Sendable func addEmployer(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context, done: "employer") { id, form, actor in
            try await self.service.addEmployer(
                id,
                employerID: try form.integer("employer_id", label: "Mã doanh nghiệp"),
                staffID: actor.staffID!,
                actor: actor,
                logger: context.logger
            )
            return nil
        }
    }

    @Sendable func addVacancy(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context, done: "vacancy") { id, form, actor in
            try await self.service.addVacancy(
                id,
                vacancyID: try form.integer("vacancy_id", label: "Mã vị trí"),
                staffID: actor.staffID!,
                actor: actor,
                logger: context.logger
            )
            return nil
        }
    }

    @Sendable func checkIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context, done: "checked_in") { id, form, actor in
            _ = try await self.service.checkIn(
                id,
                JobFairCheckIn(cccd: form.text("cccd"), letterCode: form.text("letter_code")),
                actor: actor,
                logger: context.logger
            )
            return nil
        }
    }

    @Sendable func interview(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context, done: "interview") { id, form, actor in
            _ = try await self.service.interview(
                id,
                attendanceID: try form.integer("attendance_id", label: "Người lao động"),
                vacancyID: try form.integer("vacancy_id", label: "Vị trí"),
                actor: actor,
                logger: context.logger
            )
            return nil
        }
    }

    @Sendable func offer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let interview = try context.parameters.require("interview", as: Int64.self)
        return try await self.submit(request, context: context, done: "offer") { id, _, actor in
            _ = try await self.service.offer(id, interview: interview, actor: actor, logger: context.logger)
            return nil
        }
    }

    @Sendable func decline(_ request: Request, context: AppRequestContext) async throws -> Response {
        let interview = try context.parameters.require("interview", as: Int64.self)
        return try await self.submit(request, context: context, done: "decline") { id, _, actor in
            _ = try await self.service.decline(id, interview: interview, actor: actor, logger: context.logger)
            return nil
        }
    }

    @Sendable func hire(_ request: Request, context: AppRequestContext) async throws -> Response {
        let interview = try context.parameters.require("interview", as: Int64.self)
        return try await self.submit(request, context: context, done: "hire") { id, form, actor in
            let input = JobFairHireInput(
                startDate: try WebDates.iso(form.text("start_date"), field: "start_date"),
                wageVnd: try form.wholeNumber("wage_vnd"),
                contractType: form.text("contract_type"),
                contractEndDate: try WebDates.iso(form.text("contract_end_date"), field: "contract_end_date")
            )
            _ = try await self.service.hire(id, interview: interview, input, actor: actor, logger: context.logger)
            return nil
        }
    }

    @Sendable func announce(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context, done: "announced") { id, _, actor in
            let queued = try await self.service.announce(id, actor: actor, logger: context.logger)
            return "announced-\(queued)"
        }
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context, done: "cancelled") { id, form, actor in
            // Cancelling cannot be undone: the page's form asks for a tick first.
            guard form.text("confirm") == "1" else {
                throw AppError.invalid(field: "confirm", "Đánh dấu ô xác nhận để hủy phiên; phiên đã hủy không hoàn tác được.")
            }
            _ = try await self.service.cancel(id, actor: actor, logger: context.logger)
            return nil
        }
    }
}
