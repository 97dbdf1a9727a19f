import JobMatchCore
import Logging
import PostgresNIO

/// A vacancy's ranked candidates, for the JSON route and the vacancy pages alike: the ranking
/// (`CandidateFinder`, helped by the in-memory `CandidateIndex` when the service keeps one) on one
/// snapshot, and the read audited, since the list shows household status.
struct CandidateService: Sendable {
    let client: PostgresClient
    /// The in-memory copy of the eligible workers, when the service keeps one.
    let index: CandidateIndex?

    /// The best `limit` candidates for vacancy `vacancyID`; 404 when there is no such vacancy.
    func list(vacancyID id: Int64, limit: Int, actor: Principal?, logger: Logger) async throws -> CandidateList {
        try await self.ranked(vacancyID: id, limit: limit, actor: actor, logger: logger) { _ in () }.1
    }

    /// The vacancy as staff see it with its best `limit` candidates, read in one snapshot (the candidates page); 404 when there is none.
    func page(vacancyID id: Int64, limit: Int, actor: Principal?, logger: Logger) async throws -> (vacancy: VacancyDetail, candidates: CandidateList)
    {
        let (vacancy, candidates) = try await self.ranked(vacancyID: id, limit: limit, actor: actor, logger: logger) { tx in
            try await VacancyRepository.detail(id, on: tx, logger: logger)
        }
        guard let vacancy else { throw AppError.notFound("vị trí tuyển dụng \(id)") }
        return (vacancy, candidates)
    }

    /// Ranks in one REPEATABLE READ transaction, after `first` has read what it needs in the same snapshot, and audits the read.
    private func ranked<T: Sendable>(
        vacancyID id: Int64,
        limit: Int,
        actor: Principal?,
        logger: Logger,
        first: (PostgresConnection) async throws -> T
    ) async throws -> (T, CandidateList) {
        let index = self.index
        let (extra, candidates) = try await self.client.withTransaction(logger: logger) { tx in
            // One snapshot for the changes the index has not seen and the ranking itself.
            _ = try await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", logger: logger).collect()
            let extra = try await first(tx)
            guard let candidates = try await CandidateFinder(connection: tx, logger: logger, index: index).list(vacancyID: id, limit: limit) else {
                throw AppError.notFound("vị trí tuyển dụng \(id)")
            }
            // The list shows household status, which is sensitive: the read is audited.
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "view_candidates",
                entity: "vacancy",
                entityID: id,
                after: ["candidates": "\(candidates.count)"],
                logger: logger
            )
            return (extra, candidates)
        }
        return (
            extra,
            CandidateList(
                vacancyId: id,
                candidates: candidates.map {
                    CandidateList.Candidate(
                        workerId: $0.workerID,
                        fullName: $0.fullName,
                        householdStatus: $0.householdStatus.rawValue,
                        distanceKm: $0.distanceKm.map { ($0 * 10).rounded() / 10 },
                        score: $0.score.total,
                        scoreParts: $0.score.parts
                    )
                }
            )
        )
    }
}
