/// A contract to work abroad as its page shows it.
struct OverseasContractDetails: Sendable {
    let id: Int64
    let workerID: Int64
    let workerName: String
    let enterpriseName: String?
    let licenceNumber: String?
    let country: String
    let occupationCode: String
    let termMonths: Int
    let contractDate: String
    let plannedDeparture: String
    let departureDate: String?
    let earlyReturnDate: String?
    let earlyReturnReason: String?
    let feeVND: Int64?
    let depositVND: Int64?
    let loanSource: String?
    /// The day it was entered, `dd/mm/yyyy` in Vietnam.
    let createdOn: String
}
