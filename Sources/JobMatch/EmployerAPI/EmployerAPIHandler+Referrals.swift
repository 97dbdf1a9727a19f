import EmployerAPI
import Foundation
import JobMatchCore
import OpenAPIRuntime
import PostgresNIO

/// Referrals as the employer sees them, and the outcomes it records.
extension EmployerAPIHandler {
    func listReferrals(_ input: Operations.ListReferrals.Input) async throws -> Operations.ListReferrals.Output {
        let caller = try Self.caller()
        let limit = try Self.limit(input.query.limit)
        let after = try input.query.cursor.map { token in
            guard let cursor = PageCursor(token: token), cursor.micros == 0 else {
                throw AppError.invalid(field: "cursor", "Con trỏ trang không hợp lệ.")
            }
            return cursor.id
        }
        let views = try await self.referrals.list(
            caller: caller,
            vacancyID: input.query.vacancyId,
            status: input.query.status?.rawValue,
            limit: limit + 1,
            afterID: after
        )
        let page = Array(views.prefix(limit))
        let next = views.count > limit ? page.last.map { PageCursor(micros: 0, id: $0.id).token } : nil
        return .ok(.init(body: .json(.init(referrals: page.map(Self.view), nextCursor: next))))
    }

    func getReferral(_ input: Operations.GetReferral.Input) async throws -> Operations.GetReferral.Output {
        let caller = try Self.caller()
        guard let view = try await self.referrals.find(input.path.referralId, caller: caller) else {
            throw AppError.notFound("lượt giới thiệu \(input.path.referralId)")
        }
        return .ok(.init(body: .json(Self.view(view))))
    }

    func recordInterview(_ input: Operations.RecordInterview.Input) async throws -> Operations.RecordInterview.Output {
        let caller = try Self.caller()
        guard case .json(let body) = input.body else { throw Self.notJSON }
        let day = try Input.date(body.interviewedOn, field: "interviewed_on", label: "Ngày phỏng vấn")
        guard day <= LocalDate.today() else { throw AppError.invalid(field: "interviewed_on", "Ngày phỏng vấn không thể ở tương lai.") }
        let note = try CleanText.optional(body.note, field: "note", label: "Ghi chú", maxLength: 1000)
        let view = try await self.step(input.path.referralId, caller: caller) { referral, tx in
            try await ReferralWorkflow.interview(
                referral,
                on: day,
                outcome: body.outcome.rawValue,
                note: note,
                actor: caller.principal,
                on: tx,
                logger: caller.logger
            )
        }
        return .ok(.init(body: .json(view)))
    }

    func hireCandidate(_ input: Operations.HireCandidate.Input) async throws -> Operations.HireCandidate.Output {
        let caller = try Self.caller()
        guard case .json(let body) = input.body else { throw Self.notJSON }
        let start = try ReferralWorkflow.startDate(body.startDate)
        if let wage = body.wageVnd, !(0...1_000_000_000).contains(wage) {
            throw AppError.invalid(field: "wage_vnd", "Mức lương phải từ 0 đến 1.000.000.000 đồng/tháng.")
        }
        let view = try await self.step(input.path.referralId, caller: caller) { referral, tx in
            _ = try await ReferralWorkflow.hire(referral, start: start, wage: body.wageVnd, actor: caller.principal, on: tx, logger: caller.logger)
        }
        return .ok(.init(body: .json(view)))
    }

    func rejectCandidate(_ input: Operations.RejectCandidate.Input) async throws -> Operations.RejectCandidate.Output {
        let caller = try Self.caller()
        guard case .json(let body) = input.body else { throw Self.notJSON }
        let reason = try CleanText.required(body.reason, field: "reason", label: "Lý do", maxLength: 1000)
        let view = try await self.step(input.path.referralId, caller: caller) { referral, tx in
            try await ReferralWorkflow.reject(referral, reason: reason, actor: caller.principal, on: tx, logger: caller.logger)
        }
        return .ok(.init(body: .json(view)))
    }

    /// Locks the employer's referral, applies `change`, and returns the referral as it is now.
    private func step(
        _ id: Int64,
        caller: EmployerCaller,
        _ change: (ReferralWorkflow.Locked, PostgresConnection) async throws -> Void
    ) async throws -> Components.Schemas.Referral {
        let logger = caller.logger
        return try await self.referrals.client.withTransaction(joining: caller.transaction, logger: logger) { tx in
            let referral = try await ReferralWorkflow.lock(id, employerID: caller.employerID, on: tx, logger: logger)
            try await change(referral, tx)
            return Self.view(try await self.referrals.find(id, caller: caller, on: tx)!)
        }
    }

    static func view(_ view: EmployerReferrals.View) -> Components.Schemas.Referral {
        let candidate = Components.Schemas.Candidate(
            fullName: view.candidate.fullName,
            occupations: view.candidate.occupations.map { .init(code: $0.code, title: $0.title) },
            skills: view.candidate.skills,
            completedTraining: view.candidate.completedTraining.map {
                .init(courseTitle: $0.courseTitle, occupationCode: $0.occupationCode, level: $0.level, completedOn: $0.completedOn)
            },
            phone: view.candidate.phone
        )
        let interview = view.interviewedOn.flatMap { day in
            view.interviewOutcome.flatMap(Components.Schemas.InterviewOutcome.init(rawValue:)).map {
                Components.Schemas.Interview(interviewedOn: day, outcome: $0, note: view.interviewNote)
            }
        }
        let hire = view.hireStartDate.map { Components.Schemas.Hire(startDate: $0, wageVnd: view.hireWageVnd) }
        return .init(
            id: view.id,
            vacancyId: view.vacancyId,
            status: Components.Schemas.ReferralStatus(rawValue: view.status) ?? .referred,
            referredAt: Date(timeIntervalSince1970: Double(view.referredAtMicros) / 1e6),
            updatedAt: Date(timeIntervalSince1970: Double(view.updatedAtMicros) / 1e6),
            candidate: candidate,
            interview: interview,
            hire: hire,
            rejectionReason: view.rejectionReason
        )
    }
}
