import Logging
import PostgresNIO

/// How long a kind of long work may run, in minutes.
enum LongWork: Int {
    /// Streaming an export to a client that may read slowly: long enough for a plan period's file
    /// on a slow line, short enough that a stalled reader lets its snapshot go.
    case export = 15
    /// Migrations, an import, a batch of matching, the candidate index's read.
    case job = 60

    /// The SQL that raises the statement, lock and idle-in-transaction limits to this for the rest
    /// of the current transaction (`set_config(..., true)`, as `SET LOCAL`).
    var settingsSQL: String {
        let value = "'\(self.rawValue)min'"
        return """
            SELECT set_config('statement_timeout', \(value), true), set_config('lock_timeout', \(value), true),
                   set_config('idle_in_transaction_session_timeout', \(value), true)
            """
    }
}
