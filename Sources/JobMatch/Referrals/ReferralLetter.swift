import JobMatchCore

/// What a referral letter (giấy giới thiệu) shows: only what the employer may see of the worker
/// (full name, birth year, occupations sought; never the CCCD, phone, address or household status),
/// the vacancy, the day the worker was referred, the officer who referred, and the code that checks it.
struct ReferralLetter: Sendable {
    /// An occupation sought: its ISCO code and its title in the reference list.
    struct Occupation: Sendable {
        let code: String
        let title: String
    }

    let referralID: Int64
    let code: LetterCode
    /// Referred or interviewed, to a vacancy still open, of a worker not anonymised: the letter still
    /// introduces the worker. Hired, rejected, withdrawn or closed: it no longer does.
    let current: Bool
    let workerName: String
    let birthYear: Int
    /// The worker's occupations sought, the vacancy's own first.
    let occupations: [Occupation]
    let vacancyTitle: String
    let employer: String
    /// The vacancy's ward and province.
    let place: String
    /// The day the worker was referred (Vietnam time).
    let referredOn: LocalDate
    /// Who referred the worker (their display name, else username); the printing officer when the
    /// referral was made by a batch run.
    let officer: String
}
