import Crypto
import Foundation
import JobMatchCore
import Logging
import PostgresNIO
import ServiceLifecycle

/// When the service makes the monthly placement files on its own.
public struct ExportScheduleConfig: Sendable {
    /// Off: no file is made unless asked for.
    public var enabled = true
    /// The day of the month (1-28) from which last month's files are due.
    public var day = 1
    public var formats: [TableFormat] = [.xlsx, .csv]
    /// How often the service looks for a due file.
    public var interval: Duration = .seconds(600)
    /// The first look comes this long after start, once migrations have run.
    public var firstDelay: Duration = .seconds(60)

    public init() {}
}
