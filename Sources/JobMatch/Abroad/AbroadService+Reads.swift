import Logging
import PostgresNIO

extension AbroadService {
    /// The newest contracts (at most `limit`), how many there are in all, and the enterprises (at most 500, by name).
    func overview(
        limit: Int,
        logger: Logger
    ) async throws -> (contracts: [OverseasContractSummary], total: Int, enterprises: [OverseasEnterpriseSummary]) {
        try await self.client.withConnection { connection in
            let contracts = try await connection.query(
                """
                SELECT c.id, c.worker_id, w.full_name, e.name, c.country, c.occupation_code, c.contract_date::text, c.term_months,
                       c.planned_departure::text, c.departure_date::text, c.early_return_date::text, (count(*) OVER ())::int
                FROM overseas_contracts c JOIN workers w ON w.id = c.worker_id LEFT JOIN overseas_enterprises e ON e.id = c.enterprise_id
                ORDER BY c.created_at DESC, c.id DESC LIMIT \(limit)
                """,
                logger: logger
            ).decode((Int64, Int64, String, String?, String, String, String, Int, String, String?, String?, Int).self).collect()
            let enterprises = try await connection.query(
                """
                SELECT e.id, e.name, e.licence_number, e.licence_valid_from::text, e.licence_valid_to::text,
                       (SELECT count(*) FROM overseas_contracts c WHERE c.enterprise_id = e.id)::int
                FROM overseas_enterprises e ORDER BY e.name, e.id LIMIT 500
                """,
                logger: logger
            ).decode((Int64, String, String, String, String?, Int).self).collect()
            return (
                contracts.map {
                    OverseasContractSummary(
                        id: $0.0,
                        workerID: $0.1,
                        workerName: $0.2,
                        enterpriseName: $0.3,
                        country: $0.4,
                        occupationCode: $0.5,
                        contractDate: $0.6,
                        termMonths: $0.7,
                        plannedDeparture: $0.8,
                        departureDate: $0.9,
                        earlyReturnDate: $0.10
                    )
                },
                contracts.first?.11 ?? 0,
                enterprises.map {
                    OverseasEnterpriseSummary(
                        id: $0.0,
                        name: $0.1,
                        licenceNumber: $0.2,
                        licenceValidFrom: $0.3,
                        licenceValidTo: $0.4,
                        contracts: $0.5
                    )
                }
            )
        }
    }

    /// The licensed enterprises to choose from on the contract form: id and `name (GP licence)`, by name.
    func enterpriseChoices(logger: Logger) async throws -> [(String, String)] {
        try await self.client.withConnection { connection in
            try await connection.query(
                "SELECT id::text, name || ' (GP ' || licence_number || ')' FROM overseas_enterprises ORDER BY name, id LIMIT 500",
                logger: logger
            ).decode((String, String).self).collect()
        }
    }

    /// A contract as its page shows it; 404 when there is none.
    func contract(_ id: Int64, logger: Logger) async throws -> OverseasContractDetails {
        typealias Row = (
            Int64, String, String?, String?, String, String, Int, String, String, String?, String?, String?, Int64?, Int64?, String?, String
        )
        guard
            let row = try await self.client.withConnection({ connection in
                try await connection.query(
                    """
                    SELECT c.worker_id, w.full_name, e.name, e.licence_number, c.country, c.occupation_code, c.term_months,
                           c.contract_date::text, c.planned_departure::text, c.departure_date::text, c.early_return_date::text, c.early_return_reason,
                           c.fee_vnd, c.deposit_vnd, c.loan_source, to_char(c.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY')
                    FROM overseas_contracts c JOIN workers w ON w.id = c.worker_id LEFT JOIN overseas_enterprises e ON e.id = c.enterprise_id
                    WHERE c.id = \(id)
                    """,
                    logger: logger
                ).decode(Row.self).first(where: { _ in true })
            })
        else { throw AppError.notFound("hợp đồng \(id)") }
        return OverseasContractDetails(
            id: id,
            workerID: row.0,
            workerName: row.1,
            enterpriseName: row.2,
            licenceNumber: row.3,
            country: row.4,
            occupationCode: row.5,
            termMonths: row.6,
            contractDate: row.7,
            plannedDeparture: row.8,
            departureDate: row.9,
            earlyReturnDate: row.10,
            earlyReturnReason: row.11,
            feeVND: row.12,
            depositVND: row.13,
            loanSource: row.14,
            createdOn: row.15
        )
    }
}
