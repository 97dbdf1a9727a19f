import JobMatchCore

/// A job fair to announce to workers: which fair (its key makes the notice once per worker), when,
/// where and the occupation the worker would be hired for.
struct JobFairNotice: Sendable {
    /// The fair's own identifier (its session's id), so announcing it twice sends nothing new.
    let fairKey: String
    let day: LocalDate
    let place: String
    let occupation: String
}
