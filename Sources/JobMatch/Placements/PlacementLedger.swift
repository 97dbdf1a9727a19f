import JobMatchCore
import Logging
import PostgresNIO

/// The append-only ledger the targets count from. Nothing is edited: a correction is a new row
/// reversing an old one.
enum PlacementLedger {
    /// How a job was found.
    enum Channel: String, CaseIterable, Sendable {
        case vacancyHire = "vacancy_hire"
        case overseasDeparture = "overseas_departure"
        case jobFair = "job_fair"
        case jobCreationLoan = "job_creation_loan"
        case selfEmployment = "self_employment"
        case independent

        /// The Vietnamese name used in exports.
        var vietnamese: String {
            switch self {
            case .vacancyHire: "Doanh nghiệp tuyển qua Trung tâm"
            case .overseasDeparture: "Đi làm việc ở nước ngoài"
            case .jobFair: "Phiên giao dịch việc làm"
            case .jobCreationLoan: "Vay vốn tạo việc làm"
            case .selfEmployment: "Tự tạo việc làm"
            case .independent: "Tự tìm việc với hỗ trợ của Trung tâm"
            }
        }
    }

    /// One placement to record.
    struct Entry: Sendable {
        var workerID: Int64
        var channel: Channel
        var startDate: LocalDate
        var referralID: Int64? = nil
        var overseasContractID: Int64? = nil
        var employerID: Int64? = nil
        var destinationCountry: String? = nil
        var occupationCode: String? = nil
        var wageVND: Int64? = nil
        var evidence: String? = nil
        /// Not recorded (nil) for hires and departures, whose workflows do not ask it.
        var contractType: ContractType? = nil
        var contractEndDate: LocalDate? = nil
        /// A hire an employer recorded: it counts once staff confirm it (`PlacementService.confirm`).
        var awaitsConfirmation = false
        /// The job fair a hire was made at (`job_fair` channel only).
        var jobFairID: Int64? = nil
    }

    /// Appends a placement inside the caller's transaction; returns its id.
    static func record(_ entry: Entry, by staffID: Int64?, on tx: PostgresConnection, logger: Logger) async throws -> Int64 {
        try await tx.query(
            """
            INSERT INTO placements (worker_id, channel, start_date, referral_id, overseas_contract_id, employer_id,
                                    destination_country, occupation_code, wage_vnd, evidence, contract_type, contract_end_date, recorded_by,
                                    confirmation_required, job_fair_id)
            VALUES (\(entry.workerID), \(entry.channel.rawValue), \(entry.startDate.description)::date, \(entry.referralID),
                    \(entry.overseasContractID), \(entry.employerID), \(entry.destinationCountry), \(entry.occupationCode),
                    \(entry.wageVND), \(entry.evidence), \(entry.contractType?.rawValue), \(entry.contractEndDate?.description)::date,
                    \(staffID), \(entry.awaitsConfirmation), \(entry.jobFairID))
            RETURNING id
            """,
            logger: logger
        ).first(Int64.self)!
    }
}
