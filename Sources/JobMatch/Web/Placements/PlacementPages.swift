import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// The placement ledger as officers keep it: a month's entries (with the worker and where), recording
/// a placement that came through another channel than a referral or a contract abroad, and correcting
/// an entry (a reversal with its reason; the original stays as it was), all through the API's handlers.
struct PlacementPages {
    let client: PostgresClient
    let renderer: WebRenderer

    var routes: [WebRoute] {
        [
            .get("placements", self.list),
            .get("placements/new", .writers, self.newForm),
            .post("placements/new", self.create),
            .post("placements/:id/reverse", self.reverse),
        ]
    }

    static let fields: [WebField] = [
        WebField(name: "worker_id", label: "Mã người lao động", kind: .number, required: true, hint: "Xem trên hồ sơ người lao động.", maxLength: 12),
        .select("channel", "Hình thức", PlacementRoutes.staffChannels.map { ($0.rawValue, WebLabels.word($0.rawValue, in: WebLabels.placementChannel)) },
                required: true, hint: "Tuyển qua việc làm trống và đi làm việc ở nước ngoài được ghi từ lượt giới thiệu và hợp đồng."),
        WebField(name: "start_date", label: "Ngày bắt đầu làm việc", required: true, hint: "Ngày/tháng/năm.", maxLength: 10),
        WebField(name: "employer_id", label: "Mã doanh nghiệp (nếu có)", kind: .number, maxLength: 12),
        .text("occupation_code", "Mã nghề (ISCO 4 chữ số)", maxLength: 4),
        WebField(name: "wage_vnd", label: "Thu nhập (đồng/tháng)", hint: "Ví dụ 6.500.000.", maxLength: 15),
        WebField(name: "evidence", label: "Căn cứ xác nhận", kind: .textarea, required: true,
                 hint: "Ví dụ: Giấy xác nhận của UBND xã số 12/XN ngày 05/11/2026.", maxLength: 1000),
    ]

    /// `?month=YYYY-MM` (default this month): entries whose work started that month, and the corrections recorded in it.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let today = LocalDate.today()
        let month = request.uri.queryParameters.get("month").flatMap(Month.init) ?? Month(year: today.year, month: today.month)!
        let (from, to) = (month.firstDay.description, month.next.firstDay.description)
        let logger = context.logger
        let rows = try await self.client.withConnection { connection in
            try await connection.query(
                """
                SELECT p.id, p.worker_id, w.full_name, p.channel, p.start_date::text, coalesce(e.name, ''), coalesce(p.destination_country, ''),
                       p.wage_vnd, p.reverses_id, coalesce(p.reason, ''), EXISTS (SELECT 1 FROM placements r WHERE r.reverses_id = p.id),
                       to_char(p.recorded_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY')
                FROM placements p JOIN workers w ON w.id = p.worker_id LEFT JOIN employers e ON e.id = p.employer_id
                WHERE p.start_date >= \(from)::date AND p.start_date < \(to)::date
                ORDER BY p.start_date DESC, p.id DESC LIMIT 500
                """, logger: logger).decode((Int64, Int64, String, String, String, String, String, Int64?, Int64?, String, Bool, String).self).collect()
        }
        let entries = rows.map { id, worker, name, channel, start, employer, country, wage, reverses, reason, reversed, recorded -> [String: Any] in
            ["id": id, "worker": worker, "name": name, "channel": WebLabels.word(channel, in: WebLabels.placementChannel),
             "start": WebDates.display(start), "where": country.isEmpty ? employer : CountryNames.vietnamese(country),
             "wage": wage.map(VietnameseFormat.money) ?? "", "isReversal": reverses != nil, "reverses": reverses ?? 0, "reason": reason,
             "reversed": reversed, "live": reverses == nil && !reversed, "recorded": recorded]
        }
        let months = Self.recentMonths(today).map { value -> [String: Any] in
            ["value": value.description, "text": VietnameseFormat.month(year: value.year, month: value.month), "selected": value == month]
        }
        return self.renderer.page("placements", title: "Kết quả giải quyết việc làm", context: context, values: [
            "entries": entries, "hasEntries": !entries.isEmpty, "count": entries.count, "months": months,
            "monthLabel": VietnameseFormat.month(year: month.year, month: month.month),
            "done": ["recorded": "Đã ghi nhận kết quả.", "reversed": "Đã hủy bản ghi; bút toán hủy được ghi kèm lý do."][request.uri.queryParameters.get("done") ?? ""] ?? "",
        ])
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
        self.renderer.form(title: "Ghi nhận kết quả giải quyết việc làm",
                           intro: "Mỗi người chỉ được tính một lần trong mỗi giai đoạn kế hoạch; lần ghi sau vẫn được lưu để đối chiếu.",
                           action: "/placements/new", fields: Self.fields, state: state, submit: "Ghi nhận",
                           back: ("/placements", "Kết quả giải quyết việc làm"), section: "placements", context: context, status: status)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            var body: [String: Any] = ["worker_id": form.number("worker_id") ?? "", "channel": form.text("channel") ?? "",
                                       "start_date": try WebDates.iso(form.text("start_date"), field: "start_date") ?? "",
                                       "evidence": form.text("evidence") ?? ""]
            body["employer_id"] = form.number("employer_id")
            body["occupation_code"] = form.text("occupation_code")
            body["wage_vnd"] = form.number("wage_vnd")
            let entry = try await WebAPI.call(PlacementRoutes(client: self.client).create, json: body, context: context).responseGenerator
            let start = LocalDate(entry.startDate)
            return WebRenderer.redirect("/placements?month=\(start.map { Month(year: $0.year, month: $0.month)!.description } ?? "")&done=recorded")
        } redisplay: { error in
            var state = WebFormState(form)
            state.add(error, fields: Self.fields)
            return self.formPage(state, context: context, status: error.status)
        }
    }

    @Sendable func reverse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let form = try await WebForm.read(request, context: context)
        let entry = try await WebAPI.call(PlacementRoutes(client: self.client).reverse, json: ["reason": form.text("reason") ?? ""],
                                          parameters: ["id": "\(id)"], context: context).responseGenerator
        let start = LocalDate(entry.startDate)
        return WebRenderer.redirect("/placements?month=\(start.map { Month(year: $0.year, month: $0.month)!.description } ?? "")&done=reversed")
    }
}
