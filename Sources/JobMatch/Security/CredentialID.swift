import Foundation
import JobMatchCore

/// One bearer credential by its row: a staff API token or an employer API key.
enum CredentialID: Hashable, Sendable {
    case staffToken(Int64)
    case employerKey(Int64)
}
