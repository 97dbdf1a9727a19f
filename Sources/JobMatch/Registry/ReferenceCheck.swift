import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Checks that codes a client sends exist in their reference list, naming the field if not.
struct ReferenceCheck {
    let connection: PostgresConnection
    let logger: Logger

    /// A 2025 ward code, and optionally a legacy ward code that the crosswalk maps to it.
    func wards(_ wardCode: String, legacy: String?, field: String = "ward_code", legacyField: String = "legacy_ward_code") async throws {
        guard try await self.exists("SELECT 1 FROM wards_2025 WHERE ward_code = \(wardCode)") else {
            throw AppError.invalid(field: field, "Mã xã/phường \(wardCode) không có trong danh mục đơn vị hành chính 2025.")
        }
        guard let legacy else { return }
        guard try await self.exists("SELECT 1 FROM legacy_wards WHERE ward_code = \(legacy)") else {
            throw AppError.invalid(field: legacyField, "Mã xã/phường cũ \(legacy) không có trong danh mục trước 01/07/2025.")
        }
        guard try await self.exists("SELECT 1 FROM ward_crosswalk WHERE legacy_ward_code = \(legacy) AND ward_code = \(wardCode)") else {
            throw AppError.invalid(field: legacyField, "Xã/phường cũ \(legacy) không thuộc xã/phường mới \(wardCode) theo bảng chuyển đổi.")
        }
    }

    /// The ward of a record given by its 2025 code, its legacy code, or both. From a legacy code
    /// alone the 2025 ward is derived through the crosswalk when that is unambiguous; for a legacy
    /// ward that was split, the clerk is asked to choose and shown the candidates.
    func resolveWard(
        _ wardCode: String?,
        legacy: String?,
        field: String = "ward_code",
        legacyField: String = "legacy_ward_code"
    ) async throws -> String {
        let ward = try wardCode.map { try Input.wardCode($0, field: field) }
        let legacy = try legacy.map { try Input.wardCode($0, field: legacyField) }
        if let ward {
            try await self.wards(ward, legacy: legacy, field: field, legacyField: legacyField)
            return ward
        }
        guard let legacy else {
            throw AppError.invalid(field: field, "Cần mã xã/phường (ward_code, danh mục 2025) hoặc mã xã/phường cũ (legacy_ward_code).")
        }
        guard try await self.exists("SELECT 1 FROM legacy_wards WHERE ward_code = \(legacy)") else {
            throw AppError.invalid(field: legacyField, "Mã xã/phường cũ \(legacy) không có trong danh mục trước 01/07/2025.")
        }
        let rows = try await self.connection.query(
            """
            SELECT w.ward_code, w.ward_name FROM ward_crosswalk c JOIN wards_2025 w ON w.ward_code = c.ward_code
            WHERE c.legacy_ward_code = \(legacy) ORDER BY c.is_default DESC, w.ward_code
            """,
            logger: self.logger
        )
        var targets: [(String, String)] = []
        for try await row in rows.decode((String, String).self) { targets.append(row) }
        guard targets.count == 1 else {
            let choices = targets.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
            throw AppError.invalid(
                field: field,
                targets.isEmpty
                    ? "Xã/phường cũ \(legacy) không có trong bảng chuyển đổi: hãy nhập mã xã/phường mới (ward_code)."
                    : "Xã/phường cũ \(legacy) đã được chia cho nhiều xã/phường mới (\(choices)): hãy chọn ward_code."
            )
        }
        return targets[0].0
    }

    /// An ISCO/VSCO occupation code.
    func occupation(_ code: String, field: String = "occupation_code") async throws {
        guard try await self.exists("SELECT 1 FROM occupations WHERE code = \(code)") else {
            throw AppError.invalid(field: field, "Mã nghề \(code) không có trong danh mục nghề nghiệp (ISCO-08/VSCO 2020).")
        }
    }

    /// A row of `table` with this id (table names are constants in the code, never input).
    func record(_ table: StaticTable, id: Int64, field: String, label: String) async throws {
        guard try await self.exists(PostgresQuery(unsafeSQL: "SELECT 1 FROM \(table.rawValue) WHERE id = $1", binds: Self.binds(id))) else {
            throw AppError.invalid(field: field, "Không tìm thấy \(label) có mã \(id).")
        }
    }

    /// A worker record that can take new links (enrolments, contracts, referrals, consents): it
    /// exists, was not merged into another record and was not anonymised.
    func activeWorker(_ id: Int64, field: String = "worker_id") async throws {
        let rows = try await self.connection.query(
            "SELECT merged_into, anonymised_at IS NOT NULL FROM workers WHERE id = \(id)",
            logger: self.logger
        )
        guard let (mergedInto, anonymised) = try await rows.decode((Int64?, Bool).self).first(where: { _ in true }) else {
            throw AppError.invalid(field: field, "Không tìm thấy người lao động có mã \(id).")
        }
        if let mergedInto {
            throw AppError.conflict(
                "Hồ sơ \(id) đã được gộp vào hồ sơ \(mergedInto); hãy dùng hồ sơ \(mergedInto).",
                field: field,
                extra: ["existing_id": mergedInto]
            )
        }
        if anonymised { throw AppError.conflict("Hồ sơ \(id) đã được ẩn danh, không thể ghi thêm thông tin.", field: field) }
    }

    /// Tables whose ids a request may name.
    enum StaticTable: String {
        case households, workers, courses, employers, vacancies
        case overseasEnterprises = "overseas_enterprises"
    }

    func exists(_ query: PostgresQuery) async throws -> Bool {
        let rows = try await self.connection.query(query, logger: self.logger)
        for try await _ in rows { return true }
        return false
    }

    private static func binds(_ id: Int64) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(id)
        return binds
    }
}
