import Foundation
import Hummingbird
import JobMatchCore

/// The placement ledger as officers keep it: a month's entries (with the worker and where), recording
/// a placement that came through another channel than a referral or a contract abroad, and correcting
/// an entry (a reversal with its reason; the original stays as it was): the page door onto `PlacementService`.
struct PlacementPages {
    let placements: PlacementService
    let renderer: WebRenderer

    var routes: [WebRoute] {
        [
            .get("placements", self.list),
            .get("placements/new", .writers, self.newForm),
            .post("placements/new", self.create),
            .post("placements/:id/reverse", self.reverse),
            .post("placements/:id/confirm", self.confirm),
        ]
    }

    static let fields: [WebField] = [
        WebField(name: "worker_id", label: "Mã người lao động", kind: .number, required: true, hint: "Xem trên hồ sơ người lao động.", maxLength: 12),
        .select(
            "channel",
            "Hình thức",
            PlacementService.staffChannels.map { ($0.rawValue, WebLabels.word($0.rawValue, in: WebLabels.placementChannel)) },
            required: true,
            hint: "Tuyển qua việc làm trống và đi làm việc ở nước ngoài được ghi từ lượt giới thiệu và hợp đồng."
        ),
        WebField(name: "start_date", label: "Ngày bắt đầu làm việc", required: true, hint: "Ngày/tháng/năm.", maxLength: 10),
        .select(
            "contract_type",
            "Loại hợp đồng",
            ContractType.allCases.map { ($0.rawValue, $0.vietnamese) },
            required: true,
            hint: "Chỉ chọn \"Tự tạo việc làm\" khi hình thức là tự tạo việc làm, vay vốn tạo việc làm hoặc tự tìm được việc."
        ),
        WebField(
            name: "contract_end_date",
            label: "Ngày kết thúc hợp đồng",
            hint: "Chỉ ghi khi hợp đồng xác định thời hạn (tối đa 36 tháng); ngày/tháng/năm.",
            maxLength: 10
        ),
        WebField(name: "employer_id", label: "Mã doanh nghiệp (nếu có)", kind: .number, maxLength: 12),
        .text("occupation_code", "Mã nghề (ISCO 4 chữ số)", maxLength: 4),
        WebField(name: "wage_vnd", label: "Thu nhập (đồng/tháng)", hint: "Ví dụ 6.500.000.", maxLength: 15),
        WebField(
            name: "evidence",
            label: "Căn cứ xác nhận",
            kind: .textarea,
            required: true,
            hint: "Ví dụ: Giấy xác nhận của UBND xã số 12/XN ngày 05/11/2026.",
            maxLength: 1000
        ),
    ]

    /// `?month=YYYY-MM` (default this month): entries whose work started that month, and the corrections recorded in it.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let today = LocalDate.today()
        let month = request.uri.queryParameters.get("month").flatMap(Month.init) ?? Month(year: today.year, month: today.month)!
        let entries = try await self.placements.entries(startedIn: month, logger: context.logger).map { entry -> [String: Any] in
            [
                "id": entry.id, "worker": entry.workerID, "name": entry.workerName,
                "channel": WebLabels.word(entry.channel, in: WebLabels.placementChannel),
                "start": WebDates.display(entry.startDate),
                "where": entry.destinationCountry.isEmpty ? entry.employer : CountryNames.vietnamese(entry.destinationCountry),
                "wage": entry.wageVND.map(VietnameseFormat.money) ?? "",
                "contract": ContractType.vietnamese(entry.contractType), "contractEnd": WebDates.display(entry.contractEndDate),
                "isReversal": entry.reversesID != nil, "reverses": entry.reversesID ?? 0,
                "reason": entry.reason, "reversed": entry.reversed, "live": entry.reversesID == nil && !entry.reversed, "recorded": entry.recorded,
            ]
        }
        let awaiting = try await self.placements.awaitingConfirmation(logger: context.logger).map { hire -> [String: Any] in
            [
                "id": hire.id, "worker": hire.workerId, "name": hire.workerName, "employer": hire.employer,
                "start": WebDates.display(hire.startDate), "recorded": WebDates.display(String(hire.recordedAt.prefix(10))),
            ]
        }
        let months = Self.recentMonths(today).map { value -> [String: Any] in
            ["value": value.description, "text": VietnameseFormat.month(year: value.year, month: value.month), "selected": value == month]
        }
        return self.renderer.page(
            "placements",
            title: "Kết quả giải quyết việc làm",
            context: context,
            values: [
                "entries": entries, "hasEntries": !entries.isEmpty, "count": entries.count, "months": months,
                "awaiting": awaiting, "hasAwaiting": !awaiting.isEmpty,
                "monthLabel": VietnameseFormat.month(year: month.year, month: month.month),
                "done": [
                    "recorded": "Đã ghi nhận kết quả.", "reversed": "Đã hủy bản ghi; bút toán hủy được ghi kèm lý do.",
                    "confirmed": "Đã xác nhận; kết quả được tính vào chỉ tiêu từ hôm nay.",
                ][
                    request.uri.queryParameters.get("done") ?? ""
                ] ?? "",
            ]
        )
    }

    /// This month and the 23 before it, newest first.
    static func recentMonths(_ today: LocalDate) -> [Month] {
        let current = Month(year: today.year, month: today.month)!
        return (0..<24).map { Month(index: current.index - $0) }
    }

    @Sendable func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        var state = WebFormState()
        if let worker = request.uri.queryParameters.get("worker_id").flatMap(Int64.init) { state.values["worker_id"] = ["\(worker)"] }
        return self.formPage(state, context: context)
    }

    private func formPage(_ state: WebFormState, context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        self.renderer.form(
            title: "Ghi nhận kết quả giải quyết việc làm",
            intro: "Mỗi người chỉ được tính một lần trong mỗi giai đoạn kế hoạch; lần ghi sau vẫn được lưu để đối chiếu.",
            action: "/placements/new",
            fields: Self.fields,
            state: state,
            submit: "Ghi nhận",
            back: ("/placements", "Kết quả giải quyết việc làm"),
            section: "placements",
            context: context,
            status: status
        )
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            let staff = try context.requireStaff()
            let entry = try await self.placements.record(
                try NewPlacement(form: form),
                staffID: staff.id,
                actor: context.principal,
                logger: context.logger
            )
            let start = LocalDate(entry.startDate)
            return WebRenderer.redirect("/placements?month=\(start.map { Month(year: $0.year, month: $0.month)!.description } ?? "")&done=recorded")
        } redisplay: { error in
            var state = WebFormState(form)
            state.add(error, fields: Self.fields)
            return self.formPage(state, context: context, status: error.status)
        }
    }

    /// Confirms an employer's hire (with an optional note on how it was checked).
    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let form = try await WebForm.read(request, context: context)
        let staff = try context.requireStaff()
        let entry = try await self.placements.confirm(
            id,
            PlacementService.Confirmation(note: form.text("note")),
            staffID: staff.id,
            actor: context.principal,
            logger: context.logger
        )
        let start = LocalDate(entry.startDate)
        return WebRenderer.redirect("/placements?month=\(start.map { Month(year: $0.year, month: $0.month)!.description } ?? "")&done=confirmed")
    }

    @Sendable func reverse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let form = try await WebForm.read(request, context: context)
        let staff = try context.requireStaff()
        let entry = try await self.placements.reverse(
            id,
            ReferralReason(form: form),
            staffID: staff.id,
            actor: context.principal,
            logger: context.logger
        )
        let start = LocalDate(entry.startDate)
        return WebRenderer.redirect("/placements?month=\(start.map { Month(year: $0.year, month: $0.month)!.description } ?? "")&done=reversed")
    }
}
