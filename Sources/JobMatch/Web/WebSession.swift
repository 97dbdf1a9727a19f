import Crypto
import Foundation
import HummingbirdBcrypt
import JobMatchCore
import Logging
import NIOPosix
import PostgresNIO

/// A signed-in staff member's session in the web app.
struct WebSession: Sendable {
    let id: Int64
    let staffID: Int64
    let username: String
    let displayName: String
    let role: StaffRole
    /// The token every form of this session carries (`_csrf`).
    let csrfToken: String

    var principal: Principal { .staff(id: self.staffID, username: self.username, role: self.role) }
}
