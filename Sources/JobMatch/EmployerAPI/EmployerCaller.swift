import Logging
import PostgresNIO

/// The request context of the employer API's generated handlers, which see only their typed
/// input: the calling employer, the request's logger (carrying the actor), and the transaction an
/// idempotent POST runs in. Handlers pass it on to the repositories as a parameter.
struct EmployerCaller: Sendable {
    let employerID: Int64
    let keyID: Int64
    /// The request's logger, so the employer API's log lines name their actor.
    let logger: Logger
    /// The request's transaction when `IdempotencyMiddleware` opened one; nil otherwise.
    let transaction: PostgresConnection?
    /// Bound by `EmployerCallerMiddleware`, the last middleware before the generated handlers.
    @TaskLocal static var current: EmployerCaller?

    /// The caller as the audit trail names it.
    var principal: Principal { .employer(employerID: self.employerID, keyID: self.keyID) }
}
