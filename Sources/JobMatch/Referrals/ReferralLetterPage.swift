import Foundation
import Hummingbird
import JobMatchCore

/// `GET /referrals/{id}/letter`: the referral letter (giấy giới thiệu) laid out for one A4 portrait
/// page, printed from the browser: the centre's heading and phone, the worker as the employer may
/// see them, the vacancy, the day, the officer, the verification code and its QR code (an inline
/// SVG of `QRCode`, pointing at the public check `/letters/{code}` under `PUBLIC_BASE_URL`).
/// Every staff role may open it, as they may the referral; each opening is audited.
struct ReferralLetterPage {
    let letters: ReferralLetterService
    let renderer: WebRenderer
    /// The centre's name and phone on the heading (`REPORT_ISSUER`, `CENTRE_PHONE`).
    let issuer: String
    let centrePhone: String
    /// Where the public reaches the service, and whether it was set (`PUBLIC_BASE_URL`).
    let publicBase: String
    let publicBaseSet: Bool

    var routes: [WebRoute] { [.get("referrals/:id/letter", self.show)] }

    /// The public check's address for `code`.
    static func verificationURL(base: String, code: LetterCode) -> String { base + "/letters/" + code.value }

    /// The occupations by their Vietnamese titles.
    static func names(_ occupations: [ReferralLetter.Occupation]) -> String {
        occupations.map(\.title).joined(separator: ", ")
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let letter = try await self.letters.letter(id, action: "print_letter", actor: context.principal, logger: context.logger)
        let url = Self.verificationURL(base: self.publicBase, code: letter.code)
        let qr = try QRCode(text: url)
        let day = letter.referredOn
        return self.renderer.page(
            "referral_letter",
            title: "Giấy giới thiệu: \(letter.workerName)",
            context: context.inVietnamese,
            values: [
                "id": id, "issuer": self.issuer, "phone": self.centrePhone, "current": letter.current,
                "dateLine": "ngày \(day.day) tháng \(day.month) năm \(day.year)", "employer": letter.employer,
                "name": letter.workerName, "birthYear": letter.birthYear, "occupations": Self.names(letter.occupations),
                "vacancy": letter.vacancyTitle, "place": letter.place, "officer": letter.officer, "code": letter.code.grouped,
                "checkAddress": self.publicBase + "/letters", "url": url,
                "qr": qr.svg(label: "Mã QR kiểm tra giấy giới thiệu \(letter.code.grouped)"), "baseUnset": !self.publicBaseSet,
            ],
            section: "vacancies"
        )
    }
}
