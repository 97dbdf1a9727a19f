import Hummingbird

/// `/api/staff/referrals/{id}/letter`: the JSON door onto `ReferralLetterService` (each read audited).
struct ReferralLetterRoutes {
    let letters: ReferralLetterService
    /// Where the public reaches the service (`PUBLIC_BASE_URL`).
    let publicBase: String

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("referrals/:id/letter", use: self.show)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> ReferralLetterLink {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let letter = try await self.letters.letter(id, action: "read_letter", actor: context.principal, logger: context.logger)
        return ReferralLetterLink(
            referralId: id,
            code: letter.code.value,
            verificationUrl: ReferralLetterPage.verificationURL(base: self.publicBase, code: letter.code),
            current: letter.current
        )
    }
}
