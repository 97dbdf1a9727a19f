import Foundation
import Hummingbird
import JobMatchCore

/// `/api/staff/referrals`: the JSON door onto `ReferralService` (propose or refer, read, and each
/// step of the workflow).
struct ReferralRoutes {
    let referrals: ReferralService

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("referrals", use: self.create)
        group.get("referrals/:id", use: self.show)
        group.post("referrals/:id/accept", use: self.accept)
        group.post("referrals/:id/withdraw", use: self.withdraw)
        group.post("referrals/:id/interview", use: self.interview)
        group.post("referrals/:id/reject", use: self.reject)
        group.post("referrals/:id/hire", use: self.hire)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<ReferralView> {
        let staff = try context.requireStaff()
        let input = try await request.decodeJSON(NewReferral.self, context: context)
        let view = try await self.referrals.create(input, staffID: staff.id, actor: context.principal, logger: context.logger)
        return EditedResponse(status: .created, response: view)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> ReferralView {
        _ = try context.requireStaff()
        return try await self.referrals.find(try context.parameters.require("id", as: Int64.self), logger: context.logger)
    }

    @Sendable func accept(_ request: Request, context: AppRequestContext) async throws -> ReferralView {
        let id = try Self.referralID(context)
        return try await self.referrals.accept(id, actor: context.principal, logger: context.logger)
    }

    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> ReferralView {
        let input = try await request.decodeJSON(ReferralReason.self, context: context)
        return try await self.referrals.withdraw(try Self.referralID(context), input, actor: context.principal, logger: context.logger)
    }

    @Sendable func interview(_ request: Request, context: AppRequestContext) async throws -> ReferralView {
        let input = try await request.decodeJSON(ReferralInterview.self, context: context)
        return try await self.referrals.interview(try Self.referralID(context), input, actor: context.principal, logger: context.logger)
    }

    @Sendable func reject(_ request: Request, context: AppRequestContext) async throws -> ReferralView {
        let input = try await request.decodeJSON(ReferralReason.self, context: context)
        return try await self.referrals.reject(try Self.referralID(context), input, actor: context.principal, logger: context.logger)
    }

    @Sendable func hire(_ request: Request, context: AppRequestContext) async throws -> ReferralView {
        let input = try await request.decodeJSON(ReferralHire.self, context: context)
        return try await self.referrals.hire(try Self.referralID(context), input, actor: context.principal, logger: context.logger)
    }

    /// The staff caller's referral id from the path.
    private static func referralID(_ context: AppRequestContext) throws -> Int64 {
        _ = try context.requireStaff()
        return try context.parameters.require("id", as: Int64.self)
    }
}
