import JobMatchCore

/// One upload of a workers' list as the imports pages show it: who sent which file, what came of
/// it, and whether its error file can still be downloaded (error files are emptied after 30 days).
struct ImportRun: Sendable {
    let id: Int64
    let fileName: String
    /// The display name or username of who uploaded it.
    let uploadedBy: String
    let partial: Bool
    let totalRows: Int
    let imported: Int
    let unchanged: Int
    let rolledBack: Bool
    let errorCount: Int
    /// Every error, when the run was read by itself (the list leaves them out).
    var errors: [ImportError] = []
    let hasErrorFile: Bool
    /// `dd/mm/yyyy hh:mm` in Vietnam.
    let uploadedAt: String
}
