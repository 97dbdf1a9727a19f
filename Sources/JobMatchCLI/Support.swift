import Foundation
import JobMatch
import JobMatchCore

/// Writes to standard error.
enum FileHandleStderr {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// One line for the operator: the error's own description, without internals.
func describe(_ error: any Error) -> String {
    String(describing: error)
}

/// The last day a new credential works, from `--expires` (nil when left out); a date in the past
/// or not a real date is refused with the service's own message.
func expiryDay(_ text: String?) throws -> LocalDate? {
    do {
        return try CredentialExpiry.day(text, field: "--expires")
    } catch let error as AppError {
        throw CLIError("--expires: \(error.detail ?? error.title)")
    }
}
