/// Where a worker going abroad borrowed the money for it, if anywhere.
enum LoanSource: String, CaseIterable, Sendable {
    case vbsp, nationalEmploymentFund = "national_employment_fund", none
}
