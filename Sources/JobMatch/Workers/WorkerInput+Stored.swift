import Foundation
import JobMatchCore

extension WorkerInput {
    /// Reads the API's snake_case JSON (bodies and the stored record alike).
    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    /// A stored record's values in the form `ValidWorker.auditValues` writes them (CCCD, CMND and
    /// phone masked; lists comma-separated; absent fields left out), to compare before and after an edit.
    var storedAuditValues: [String: String] {
        let optional: [(String, String?)] = [
            ("full_name", self.fullName), ("cccd", self.cccd.map(CitizenID.masked)), ("cmnd", self.cmnd.map(CitizenID.masked)),
            ("birth_date", self.birthDate), ("sex", self.sex), ("ward_code", self.wardCode), ("legacy_ward_code", self.legacyWardCode),
            ("household_id", self.householdId.map(String.init)), ("phone", self.phone.map(PersonalDataMask.phone)),
            ("ethnicity", self.ethnicity), ("disability_type", self.disabilityType), ("disability_severity", self.disabilitySeverity),
            ("max_commute_km", self.maxCommuteKm.map(String.init)), ("education_level", self.educationLevel),
            ("qualification", self.qualification), ("major", self.major), ("current_job", self.currentJob),
            ("unemployed_since", self.unemployedSince), ("job_seeking_status", self.jobSeekingStatus),
            ("occupation_codes", self.occupationCodes?.joined(separator: ",")),
            ("preferred_ward_codes", self.preferredWardCodes?.joined(separator: ",")),
            ("preferred_legacy_district_codes", self.preferredLegacyDistrictCodes?.joined(separator: ",")),
        ]
        var values: [String: String] = [:]
        for case let (key, value?) in optional { values[key] = value }
        values["willing_abroad"] = "\(self.willingAbroad ?? false)"
        return values
    }

    /// This record with a JSON merge patch laid over it (RFC 7396: a field left out stays, `null`
    /// removes it); a value of the wrong type is a 400 naming the field.
    func merging(patch: Data) throws -> WorkerInput {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var merged = (try JSONSerialization.jsonObject(with: try encoder.encode(self)) as? [String: Any]) ?? [:]
        let changes = (try JSONSerialization.jsonObject(with: patch) as? [String: Any]) ?? [:]
        for (key, value) in changes {
            if value is NSNull { merged.removeValue(forKey: key) } else { merged[key] = value }
        }
        do {
            return try Self.decoder.decode(WorkerInput.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch let error as DecodingError {
            throw AppError.badBody(error)
        }
    }
}
