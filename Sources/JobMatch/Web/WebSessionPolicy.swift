import Crypto
import Foundation
import HummingbirdBcrypt
import JobMatchCore
import Logging
import NIOPosix
import PostgresNIO

/// How long sessions last and how hard passwords are to hash.
struct WebSessionPolicy: Sendable {
    /// A session unused for this long is over.
    var idleTimeout: Duration = .seconds(30 * 60)
    /// A session is over this long after sign-in, however active.
    var absoluteTimeout: Duration = .seconds(12 * 3600)
    /// bcrypt's cost (12 in service; tests use the minimum, 4).
    var bcryptCost: UInt8 = 12
    /// Failed sign-ins for one username (or from one address) within `throttleWindow` before refusing.
    var maximumFailures = 5
    var throttleWindow: Duration = .seconds(15 * 60)
}
