import JobMatchCore
import Logging
import PostgresNIO

extension PopulationSeeder {
    /// What the import file cannot carry, for workers just imported (found by CCCD): registration
    /// time (`created_at`, and `seeking_since` with it), commute limit and disability in one
    /// UPDATE; completed courses as classes the district's training centre held in the commune, and enrolments
    /// completed with a certificate.
    func addFacts(_ households: [SyntheticHousehold]) async throws {
        let logger = self.logger
        let members = households.flatMap { household in household.members.map { (household.ward.legacy, $0) } }
        try await self.client.withTransaction(logger: logger) { tx in
            try await tx.allowLongWork(.job, logger: logger)
            try await tx.query("SET LOCAL work_mem = '64MB'", logger: logger)
            try await tx.query(
                """
                CREATE TEMP TABLE seed_facts (cccd text, registered_at timestamptz, max_commute_km int, disability_type text, disability_severity text)
                ON COMMIT DROP
                """,
                logger: logger
            )
            try await Self.copy(
                into: "seed_facts",
                ["cccd", "registered_at", "max_commute_km", "disability_type", "disability_severity"],
                rows: members.map { _, worker in
                    [
                        worker.person.cccd, worker.registeredAt, worker.maxCommuteKm.map(String.init), worker.disability?.type,
                        worker.disability?.severity,
                    ]
                },
                on: tx,
                logger: logger
            )
            try await tx.query(
                """
                UPDATE workers w SET created_at = f.registered_at, seeking_since = f.registered_at, max_commute_km = f.max_commute_km,
                                     disability_type = f.disability_type, disability_severity = f.disability_severity
                FROM seed_facts f WHERE w.cccd = f.cccd
                """,
                logger: logger
            )
            try await tx.query(
                "CREATE TEMP TABLE seed_trainings (cccd text, course int, ward text, start_date date, end_date date) ON COMMIT DROP",
                logger: logger
            )
            try await Self.copy(
                into: "seed_trainings",
                ["cccd", "course", "ward", "start_date", "end_date"],
                rows: members.flatMap { ward, worker in
                    worker.trainings.map { [worker.person.cccd, String($0.course + 1), ward, $0.startDate.description, $0.endDate.description] }
                },
                on: tx,
                logger: logger
            )
            try await Self.addClasses(on: tx, logger: logger)
        }
    }

    /// One class per catalogue course, commune (legacy ward) and end date, given by the district's
    /// training centre (rural classes are held in the communes); enrolments completed on the class's
    /// last day; seats at least the enrolled.
    static func addClasses(on tx: PostgresConnection, logger: Logger) async throws {
        let catalogue = CourseCatalogue.courses
        let (titles, occupations, levels) = (catalogue.map(\.title), catalogue.map(\.occupation), catalogue.map(\.level))
        try await tx.query(
            """
            CREATE TEMP TABLE seed_classes ON COMMIT DROP AS
            SELECT t.course, t.ward, t.start_date, t.end_date, k.occupation, k.level,
                   k.title || ' – ' || w.ward_name || ', ' || w.district_name || ' – khóa kết thúc ' || to_char(t.end_date, 'DD/MM/YYYY') AS title,
                   'Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên ' || w.district_name AS provider, count(*)::int AS enrolled
            FROM seed_trainings t
            JOIN unnest(\(titles)::text[], \(occupations)::text[], \(levels)::text[]) WITH ORDINALITY k(title, occupation, level, n) ON k.n = t.course
            JOIN legacy_wards w ON w.ward_code = t.ward
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
            """,
            logger: logger
        )
        try await tx.query(
            """
            INSERT INTO training_providers (name) SELECT DISTINCT provider FROM seed_classes ORDER BY 1 ON CONFLICT (name) DO NOTHING
            """,
            logger: logger
        )
        try await tx.query(
            """
            INSERT INTO courses (provider_id, title, occupation_code, level, start_date, end_date, seats, funding_source)
            SELECT p.id, c.title, c.occupation, c.level, c.start_date, c.end_date, least(10000, greatest(25, c.enrolled)),
                   'Đào tạo nghề cho lao động nông thôn (Quyết định 46/2015/QĐ-TTg)'
            FROM seed_classes c JOIN training_providers p ON p.name = c.provider
            WHERE NOT EXISTS (SELECT 1 FROM courses k WHERE k.title = c.title)
            ORDER BY c.end_date, c.title
            """,
            logger: logger
        )
        try await tx.query(
            """
            INSERT INTO enrolments (course_id, worker_id, status, certificate_number, completed_on, created_at)
            SELECT k.id, w.id, 'completed', 'GCN ' || k.id || '/' || w.id, c.end_date, c.start_date
            FROM seed_trainings t
            JOIN seed_classes c ON c.course = t.course AND c.ward = t.ward AND c.end_date = t.end_date
            JOIN courses k ON k.title = c.title
            JOIN workers w ON w.cccd = t.cccd
            ORDER BY k.id, w.id
            ON CONFLICT (course_id, worker_id, province_code) DO NOTHING
            """,
            logger: logger
        )
        try await tx.query(
            """
            UPDATE courses k SET seats = least(10000, e.enrolled)
            FROM (SELECT e.course_id, count(*)::int AS enrolled FROM enrolments e
                  WHERE e.course_id IN (SELECT k.id FROM courses k JOIN seed_classes c ON c.title = k.title) GROUP BY 1) e
            WHERE k.id = e.course_id AND k.seats < e.enrolled
            """,
            logger: logger
        )
    }

    /// Streams `rows` into a temporary table with COPY.
    static func copy(into table: String, _ columns: [String], rows: [[String?]], on tx: PostgresConnection, logger: Logger) async throws {
        try await tx.copyFrom(table: table, columns: columns, logger: logger) { writer in
            var buffer = ByteBuffer()
            for (index, row) in rows.enumerated() {
                for (column, field) in row.enumerated() {
                    if column > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                    WorkerImporter.writeCopyText(field, to: &buffer)
                }
                buffer.writeInteger(UInt8(ascii: "\n"))
                if index % 1000 == 999 {
                    try await writer.write(buffer)
                    buffer.clear()
                }
            }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
        }
    }
}
