import Foundation
import Hummingbird
import JobMatchCore

/// `GET /board?ward=&occupation=`: the public vacancy board, for anyone, no sign-in: open vacancies
/// by 2025 ward and occupation, wages, slots, closing day, the upcoming job fairs and how to apply (at the centre, whose
/// phone is `CENTRE_PHONE`). No script, a small stylesheet, at most 100 vacancies a page, drawn from
/// `PublicBoard`'s copy, never from the database; answers may be cached for a minute.
struct PublicBoardPage {
    let board: PublicBoard
    let renderer: WebRenderer
    let centrePhone: String

    /// Vacancies on one page: keeps a page small on a cheap phone over a slow line.
    static let pageSize = 100

    func register(on router: Router<AppRequestContext>) {
        router.get("board", use: self.show)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let snapshot = self.board.snapshot
        let ward = request.uri.queryParameters.get("ward").flatMap { $0.isEmpty ? nil : String($0.prefix(10)) }
        let occupation = request.uri.queryParameters.get("occupation").flatMap { $0.isEmpty ? nil : String($0.prefix(4)) }
        let chosen = snapshot.vacancies.filter { vacancy in
            (ward == nil || vacancy.wardCode == ward) && (occupation == nil || vacancy.occupationCode.hasPrefix(occupation!))
        }
        let wards = Dictionary(snapshot.vacancies.map { ($0.wardCode, $0.ward) }, uniquingKeysWith: { first, _ in first })
            .sorted { $0.value < $1.value }
            .map { ["value": $0.key, "text": $0.value, "selected": $0.key == ward] as [String: Any] }
        let majors = Dictionary(snapshot.vacancies.map { (String($0.occupationCode.prefix(1)), 1) }, uniquingKeysWith: +).keys.sorted()
        let occupations = majors.map { code -> [String: Any] in
            ["value": code, "text": OccupationTitles.title(code) ?? code, "selected": code == occupation]
        }
        let shown = chosen.prefix(Self.pageSize).map { vacancy -> [String: Any] in
            [
                "title": vacancy.title, "employer": vacancy.employer, "occupation": vacancy.occupation, "ward": vacancy.ward,
                "wage": Self.wage(vacancy.wageMin, vacancy.wageMax), "slots": vacancy.slotsLeft, "closing": vacancy.closingDate.vietnamese,
            ]
        }
        let html = try self.renderer.render(
            "board",
            values: [
                "vacancies": shown, "hasVacancies": !shown.isEmpty, "count": VietnameseFormat.number(chosen.count),
                "more": chosen.count > Self.pageSize, "pageSize": Self.pageSize, "wards": wards, "occupations": occupations,
                "fairs": snapshot.fairs.map { fair -> [String: Any] in
                    [
                        "day": fair.day.vietnamese, "title": fair.title, "place": fair.place, "ward": fair.ward, "kind": fair.kind,
                        "employers": fair.employers.joined(separator: ", "),
                    ]
                },
                "hasFairs": !snapshot.fairs.isEmpty,
                "phone": self.centrePhone, "loaded": snapshot.loadedAt != nil,
                "updated": snapshot.loadedAt.map { LocalDate.today(now: $0).vietnamese } ?? "",
            ]
        )
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "public, max-age=60"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A wage range as a clerk writes it: "5.000.000 - 7.000.000 ₫", "từ 5.000.000 ₫", "thỏa thuận".
    static func wage(_ low: Int64?, _ high: Int64?) -> String {
        switch (low, high) {
        case (let low?, let high?) where low == high: VietnameseFormat.money(low)
        case (let low?, let high?): VietnameseFormat.number(low) + " - " + VietnameseFormat.money(high)
        case (let low?, nil): "từ " + VietnameseFormat.money(low)
        case (nil, let high?): "đến " + VietnameseFormat.money(high)
        case (nil, nil): "Thỏa thuận"
        }
    }
}
