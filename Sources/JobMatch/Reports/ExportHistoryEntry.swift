/// One line of the exports page's history: who exported or downloaded what, and when.
struct ExportHistoryEntry: Sendable {
    /// The staff member's display name, or "Hệ thống" for the schedule.
    let who: String
    /// `export`, `download` or `store`.
    let action: String
    let entity: String
    /// The export's name or the stored file's month.
    let name: String
    let format: String
    /// dd/mm/yyyy hh:mm, Vietnam time.
    let at: String
}
