import JobMatchCore
import Logging
import PostgresNIO

/// Every person whose data one staff account read, changed or exported in a window of days, from
/// `audit_log`: the list a breach notice needs when an account is known to have been misused
/// (`jobmatch audit touched`). Days are Vietnam's (UTC+7), both ends included.
///
/// An entry names a person when its record is a worker, or something of one worker (a referral,
/// an enrolment, a placement, an overseas contract), or a household (then each current member).
/// Some audited acts showed or wrote many people without naming them in the log: a vacancy's
/// ranked candidates, placement exports and stored export files, import runs and their error
/// files, table reports. Those are listed apart, with what the log keeps of them (the month and
/// as-of date of an export, which reproduce it). Searches (lists of masked matches) are not audited.
public struct AuditTouched: Sendable {
    /// One audited act on one person.
    public struct Person: Sendable, Equatable {
        public let workerID: Int64
        public let fullName: String
        public let action: String
        public let entity: String
        public let entityID: String?
        /// Local time (UTC+7), `YYYY-MM-DD HH:MM:SS`.
        public let at: String
    }

    /// One audited act that showed or exported people without naming them in the log.
    public struct Unattributed: Sendable, Equatable {
        public let action: String
        public let entity: String
        public let entityID: String?
        public let at: String
        /// The entry's `after` image (e.g. an export's month, as-of date and CCCD setting), as JSON.
        public let detail: String
    }

    /// The account's name was not found.
    public struct UnknownAccount: Error, CustomStringConvertible {
        public let username: String
        public var description: String { "Không có tài khoản cán bộ '\(self.username)'." }
    }

    public let username: String
    public let from: LocalDate
    public let to: LocalDate
    public let persons: [Person]
    public let unattributed: [Unattributed]
    /// Entries of the account in the window that concern no person (vacancies, employers, targets …).
    public let otherEntries: Int

    /// Entities whose entries show or write people in bulk.
    static let bulkEntities = ["placements", "export_file", "import_error_file", "workers", "import_run", "report"]

    /// Reads the account's entries in `from ... to` (local days, inclusive).
    public static func load(username: String, from: LocalDate, to: LocalDate, client: PostgresClient, logger: Logger) async throws -> AuditTouched {
        try await client.withConnection { connection in
            guard try await connection.query("SELECT id FROM staff_users WHERE username = \(username)", logger: logger).first(Int64.self) != nil
            else {
                throw UnknownAccount(username: username)
            }
            let entries = """
                WITH entries AS (
                    SELECT a.* FROM audit_log a JOIN staff_users s ON a.actor_kind = 'staff' AND a.actor_id = s.id
                    WHERE s.username = $1
                      AND a.created_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
                      AND a.created_at < ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
                ), touched AS (
                    SELECT e.id AS entry, w.id AS worker_id FROM entries e JOIN workers w ON e.entity = 'worker' AND e.entity_id = w.id::text
                    UNION SELECT e.id, r.worker_id FROM entries e JOIN referrals r ON e.entity = 'referral' AND e.entity_id = r.id::text
                    UNION SELECT e.id, x.worker_id FROM entries e JOIN enrolments x ON e.entity = 'enrolment' AND e.entity_id = x.id::text
                    UNION SELECT e.id, p.worker_id FROM entries e JOIN placements p ON e.entity = 'placement' AND e.entity_id = p.id::text
                    UNION SELECT e.id, c.worker_id FROM entries e JOIN overseas_contracts c ON e.entity = 'overseas_contract' AND e.entity_id = c.id::text
                    UNION SELECT e.id, w.id FROM entries e JOIN workers w ON e.entity = 'household' AND e.entity_id = w.household_id::text
                )
                """
            let local = "to_char(e.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD HH24:MI:SS')"
            var bindings = PostgresBindings()
            bindings.append(username)
            bindings.append(from.description)
            bindings.append(to.description)
            var persons: [Person] = []
            let personRows = try await connection.query(
                PostgresQuery(
                    unsafeSQL: entries + """
                        SELECT t.worker_id, w.full_name, e.action, e.entity, e.entity_id, \(local)
                        FROM touched t JOIN entries e ON e.id = t.entry JOIN workers w ON w.id = t.worker_id
                        ORDER BY e.created_at, e.id, t.worker_id
                        """,
                    binds: bindings
                ),
                logger: logger
            )
            for try await (worker, name, action, entity, entityID, at) in personRows.decode((Int64, String, String, String, String?, String).self) {
                persons.append(Person(workerID: worker, fullName: name, action: action, entity: entity, entityID: entityID, at: at))
            }
            let bulk = Self.bulkEntities.map { "'\($0)'" }.joined(separator: ", ")
            var unattributed: [Unattributed] = []
            let bulkRows = try await connection.query(
                PostgresQuery(
                    unsafeSQL: entries + """
                        SELECT e.action, e.entity, e.entity_id, \(local), COALESCE(e.after::text, '')
                        FROM entries e
                        WHERE NOT EXISTS (SELECT 1 FROM touched t WHERE t.entry = e.id)
                          AND ((e.entity = 'vacancy' AND e.action = 'view_candidates') OR e.entity IN (\(bulk)))
                        ORDER BY e.created_at, e.id
                        """,
                    binds: bindings
                ),
                logger: logger
            )
            for try await (action, entity, entityID, at, detail) in bulkRows.decode((String, String, String?, String, String).self) {
                unattributed.append(Unattributed(action: action, entity: entity, entityID: entityID, at: at, detail: detail))
            }
            let others =
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: entries + """
                            SELECT count(*)::int FROM entries e
                            WHERE NOT EXISTS (SELECT 1 FROM touched t WHERE t.entry = e.id)
                              AND NOT ((e.entity = 'vacancy' AND e.action = 'view_candidates') OR e.entity IN (\(bulk)))
                            """,
                        binds: bindings
                    ),
                    logger: logger
                ).first(Int.self) ?? 0
            return AuditTouched(username: username, from: from, to: to, persons: persons, unattributed: unattributed, otherEntries: others)
        }
    }

    /// What an unattributed entry was, in Vietnamese, for the notice.
    static func explain(_ entry: Unattributed) -> String {
        switch (entry.entity, entry.action) {
        case ("vacancy", _):
            "Xem danh sách ứng viên xếp hạng của vị trí tuyển dụng \(entry.entityID ?? "?"); những người có trong danh sách không được ghi lại từng người."
        case ("placements", _):
            "Xuất danh sách việc làm \(entry.detail); tạo lại đúng tệp đó (cùng tháng hoặc giai đoạn, cùng ngày số liệu) để biết những người trong đó."
        case ("export_file", _):
            "Tệp xuất đã lưu số \(entry.entityID ?? "?") (\(entry.detail)); những người trong đó đọc được từ chính tệp đã lưu."
        case ("import_error_file", _):
            "Tải tệp lỗi của lần nhập \(entry.entityID ?? "?"); tệp gồm các dòng bị lỗi của tệp đã nhập."
        case ("workers", _), ("import_run", _):
            "Nhập danh sách người lao động \(entry.entityID.map { "(lần nhập \($0))" } ?? "") \(entry.detail); nhật ký không ghi từng người."
        default:
            "Xuất báo cáo tổng hợp \(entry.detail) (số liệu gộp, không theo từng người)."
        }
    }

    /// Tab-separated persons (one line per person and act), then the acts that name no one, as `#` lines.
    public func render() -> String {
        var text = "worker_id\tfull_name\taction\tentity\tentity_id\tat\n"
        for person in self.persons {
            text += "\(person.workerID)\t\(person.fullName)\t\(person.action)\t\(person.entity)\t\(person.entityID ?? "")\t\(person.at)\n"
        }
        let people = Set(self.persons.map(\.workerID)).count
        text +=
            "# Tài khoản \(self.username), từ \(self.from) đến \(self.to) (giờ Việt Nam): \(people) người được ghi tên, \(self.persons.count) lượt.\n"
        if !self.unattributed.isEmpty {
            text += "# Các thao tác cho xem hoặc xuất dữ liệu nhiều người mà nhật ký không ghi từng người:\n"
            for entry in self.unattributed {
                text += "# \(entry.at)\t\(entry.action)\t\(entry.entity)\t\(entry.entityID ?? "")\t\(Self.explain(entry))\n"
            }
        }
        text += "# Tìm kiếm (danh sách kết quả đã che số) không được ghi nhật ký. Thao tác khác không liên quan đến cá nhân: \(self.otherEntries).\n"
        return text
    }
}
