import Foundation
import PostgresNIO

/// A vacancy as stored, read by column name from a row of `vacancies` (`v.*`) with the derived
/// columns `ward_name`, `closing_day`, `skill_names`, `created_micros` and `updated_micros`.
struct VacancyRecord: Sendable {
    let id: Int64
    let reference: String?
    let title: String
    let description: String?
    let occupationCode: String
    let skills: [String]
    let wardCode: String
    let wardName: String
    let legacyWardCode: String?
    let slots: Int
    let slotsFilled: Int
    let wageMin: Int64?
    let wageMax: Int64?
    let workingHours: String?
    let minAge: Int?
    let maxAge: Int?
    let closingDate: String
    let contactName: String?
    let contactPhone: String?
    let contactEmail: String?
    let openToAbroadBound: Bool
    let status: String
    /// Times as microseconds since 1970 (exact, for keyset cursors).
    let createdAtMicros: Int64
    let updatedAtMicros: Int64

    var createdAt: Date { Date(timeIntervalSince1970: Double(self.createdAtMicros) / 1_000_000) }
    var updatedAt: Date { Date(timeIntervalSince1970: Double(self.updatedAtMicros) / 1_000_000) }
    var cursor: PageCursor { PageCursor(micros: self.updatedAtMicros, id: self.id) }

    /// Reads each field from the column of its name, so the order of the SELECT does not matter.
    init(row: PostgresRow) throws {
        let cells = row.makeRandomAccess()
        func value<T: PostgresDecodable>(_ column: String, _ type: T.Type = T.self) throws -> T { try cells[column].decode(T.self) }
        self.id = try value("id")
        self.reference = try value("reference")
        self.title = try value("title")
        self.description = try value("description")
        self.occupationCode = try value("occupation_code")
        self.skills = try value("skill_names")
        self.wardCode = try value("ward_code")
        self.wardName = try value("ward_name")
        self.legacyWardCode = try value("legacy_ward_code")
        self.slots = try value("slots")
        self.slotsFilled = try value("slots_filled")
        self.wageMin = try value("wage_min")
        self.wageMax = try value("wage_max")
        self.workingHours = try value("working_hours")
        self.minAge = try value("min_age")
        self.maxAge = try value("max_age")
        self.closingDate = try value("closing_day")
        self.contactName = try value("contact_name")
        self.contactPhone = try value("contact_phone")
        self.contactEmail = try value("contact_email")
        self.openToAbroadBound = try value("open_to_abroad_bound")
        self.status = try value("status")
        self.createdAtMicros = try value("created_micros")
        self.updatedAtMicros = try value("updated_micros")
    }
}
