/// Where a worker going abroad borrowed the money for it, if anywhere.
enum LoanSource: String, CaseIterable, Sendable {
    case vbsp
    case nationalEmploymentFund = "national_employment_fund"
    case none
}
