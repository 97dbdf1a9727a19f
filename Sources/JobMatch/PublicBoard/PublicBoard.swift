import Foundation
import JobMatchCore
import Synchronization

/// The public vacancy board's copy of the open vacancies (issue 22, section 5), kept in memory and
/// replaced whole by `PublicBoardRefresher`: a reader of `/board` never touches the database, so a
/// burst of readers cannot take the staff service's connections.
final class PublicBoard: Sendable {
    /// An open vacancy as the public may see it: never the employer's contact details.
    struct Vacancy: Sendable {
        let id: Int64
        let title: String
        let employer: String
        let occupationCode: String
        let occupation: String
        let wardCode: String
        let ward: String
        let wageMin: Int64?
        let wageMax: Int64?
        let slotsLeft: Int
        let closingDate: LocalDate
    }

    struct Snapshot: Sendable {
        var vacancies: [Vacancy] = []
        /// When it was read; nil: not read yet.
        var loadedAt: Date?
    }

    private let state = Mutex(Snapshot())

    var snapshot: Snapshot { self.state.withLock { $0 } }

    func replace(_ vacancies: [Vacancy], at date: Date) {
        self.state.withLock { $0 = Snapshot(vacancies: vacancies, loadedAt: date) }
    }
}
