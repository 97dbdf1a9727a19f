import Foundation
import JobMatch

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

/// A failure of a command, told to the operator in one line.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
