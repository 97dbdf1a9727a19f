/// A contract on the abroad list.
struct OverseasContractSummary: Sendable {
    let id: Int64
    let workerID: Int64
    let workerName: String
    let enterpriseName: String?
    let country: String
    let occupationCode: String
    let contractDate: String
    let termMonths: Int
    let plannedDeparture: String
    let departureDate: String?
    let earlyReturnDate: String?
}
