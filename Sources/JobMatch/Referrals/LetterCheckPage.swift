import Foundation
import Hummingbird
import JobMatchCore

/// `GET /letters/{code}` (what a letter's QR code opens) and `GET /letters?code=` (a form to type the
/// code): for anyone holding a referral letter, no sign-in and no script, whether the letter is
/// genuine and still current, with only what the letter itself shows (the worker's name and birth
/// year, the vacancy, the employer, the day). An unknown code is a 404 page that says nothing more.
/// Each client address may ask `perMinute` times a minute; a hit is logged without personal data.
struct LetterCheckPage {
    let letters: ReferralLetterService
    let renderer: WebRenderer
    let limiter: RateLimiter<String>
    var trustProxy = false

    /// Checks a minute per client address (bursts of a sixth of it).
    static let perMinute = 60

    func register(on router: Router<AppRequestContext>) {
        router.get("letters", use: self.form)
        router.get("letters/:code", use: self.show)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let typed = request.uri.queryParameters.get("code"), !typed.isEmpty else {
            return self.page(["asked": false], status: .ok)
        }
        return try await self.check(typed, request: request, context: context)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.check(context.parameters.get("code") ?? "", request: request, context: context)
    }

    /// The answer for the code in `typed`: the letter and its state, or the 404 page.
    private func check(_ typed: String, request: Request, context: AppRequestContext) async throws -> Response {
        let address = SignInRoutes.clientAddress(request, context: context, trustProxy: self.trustProxy) ?? "unknown"
        if let wait = self.limiter.take(address) {
            var response = self.page(["asked": false, "busy": true], status: .tooManyRequests)
            response.headers[.retryAfter] = "\(max(wait, 1))"
            return response
        }
        guard let code = LetterCode(typed), let letter = try await self.letters.check(code, logger: context.logger) else {
            context.logger.info("Letter check: no such code")
            return self.page(["asked": true, "notFound": true], status: .notFound)
        }
        context.logger.info("Letter check", metadata: ["referral_id": "\(letter.referralID)", "current": "\(letter.current)"])
        return self.page(
            [
                "asked": true, "found": true, "current": letter.current, "code": letter.code.grouped, "name": letter.workerName,
                "birthYear": letter.birthYear > 0 ? "\(letter.birthYear)" : "", "vacancy": letter.vacancyTitle, "employer": letter.employer,
                "date": letter.referredOn.vietnamese,
            ],
            status: .ok
        )
    }

    /// The page (`letter_check`, outside the staff layout) with every flag it reads defaulted.
    private func page(_ values: [String: Any], status: HTTPResponse.Status) -> Response {
        let defaults: [String: Any] = [
            "asked": false, "found": false, "notFound": false, "busy": false, "current": false, "code": "", "name": "", "birthYear": "",
            "vacancy": "", "employer": "", "date": "",
        ]
        do {
            return WebRenderer.html(try self.renderer.render("letter_check", values: defaults.merging(values) { $1 }), status: status)
        } catch {
            return WebRenderer.html("<!doctype html><title>Lỗi</title><p>Không hiển thị được trang.</p>", status: .internalServerError)
        }
    }
}
