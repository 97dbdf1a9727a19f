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

    /// An upcoming job fair as the public may see it: where, when, and which employers take part.
    struct Fair: Sendable {
        let day: LocalDate
        let title: String
        let place: String
        let ward: String
        let kind: String
        let employers: [String]
    }

    struct Snapshot: Sendable {
        var vacancies: [Vacancy] = []
        var fairs: [Fair] = []
        /// When it was read; nil: not read yet.
        var loadedAt: Date?
    }

    private let state = Mutex(Snapshot())

    var snapshot: Snapshot { self.state.withLock { $0 } }

    func replace(_ vacancies: [Vacancy], fairs: [Fair] = [], at date: Date) {
        self.state.withLock { $0 = Snapshot(vacancies: vacancies, fairs: fairs, loadedAt: date) }
    }
}
