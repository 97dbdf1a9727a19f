import Foundation
import JobMatch
import JobMatchCore

/// A failure of a command, told to the operator in one line.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
