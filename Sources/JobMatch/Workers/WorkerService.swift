import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// The worker registry: registering a person, reading a record (an audited read), correcting it
/// and finding people. The staff API and the web pages both call these with a `WorkerInput`;
/// each write runs in one transaction with its audit entry.
struct WorkerService: Sendable {
    let client: PostgresClient

    /// Registers a worker with the consents given at registration; returns the new record's id.
    /// A CCCD already registered is a 409 with the existing record's id.
    func register(_ input: WorkerInput, by actor: Principal, logger: Logger) async throws -> Int64 {
        try await self.client.withTransaction(logger: logger) { tx in
            try await Self.register(input, by: actor, on: tx, logger: logger)
        }
    }

    /// The same inside the caller's transaction (a walk-in at a job fair registers and checks in at once).
    static func register(_ input: WorkerInput, by actor: Principal, on tx: PostgresConnection, logger: Logger) async throws -> Int64 {
        let valid = try ValidWorker(input, today: .today())
        let consents = try (input.consents ?? []).map { try Input.choice($0, as: ConsentPurpose.self, field: "consents") }
        let means = try Input.choice(input.consentMeans ?? "paper_form", as: ConsentMeans.self, field: "consent_means")
        let staffID = actor.staffID
        if let cccd = valid.cccd, let existing = try await Self.worker(withCCCD: cccd, on: tx, logger: logger) {
            throw AppError.conflict(
                "Số CCCD này đã được đăng ký cho người lao động mã \(existing).",
                field: "cccd",
                extra: ["existing_id": existing]
            )
        }
        let ward = try await valid.checkReferences(ReferenceCheck(connection: tx, logger: logger))
        let rows = try await tx.query(
            """
            INSERT INTO workers (full_name, cccd, cmnd, birth_date, sex, ethnicity, disability_type, disability_severity, phone,
                                 ward_code, legacy_ward_code, household_id, max_commute_km, willing_abroad, education_level,
                                 qualification, major, current_job, unemployed_since, job_seeking_status, created_by)
            VALUES (\(valid.name), \(valid.cccd), \(valid.cmnd), \(valid.birth.description)::date, \(valid.sex.rawValue), \(valid.ethnicity),
                    \(valid.disability?.rawValue), \(valid.severity?.rawValue), \(valid.phone), \(ward), \(valid.legacyWard),
                    \(valid.householdID), \(valid.maxCommuteKm), \(valid.willingAbroad), \(valid.education?.rawValue),
                    \(valid.qualification?.rawValue), \(valid.major), \(valid.currentJob), \(valid.unemployedSince?.description)::date,
                    \(valid.jobSeekingStatus.rawValue), \(staffID))
            RETURNING id
            """,
            logger: logger
        )
        let id = try await rows.first(Int64.self)!
        try await valid.replaceLinks(of: id, on: tx, logger: logger)
        for purpose in Set(consents.map(\.rawValue)) {
            try await tx.query(
                "INSERT INTO worker_consents (worker_id, purpose, means, given_at, created_by) VALUES (\(id), \(purpose), \(means.rawValue), now(), \(staffID))",
                logger: logger
            )
        }
        try await AuditLog.record(
            on: tx,
            actor: actor,
            action: "create",
            entity: "worker",
            entityID: id,
            after: valid.auditValues(ward: ward),
            logger: logger
        )
        return id
    }

    /// One worker's record, masked for `role`; reading a person's record is a sensitive read, so
    /// it is audited. 404 when there is none.
    func view(_ id: Int64, role: StaffRole, by actor: Principal, logger: Logger) async throws -> WorkerView {
        try await self.client.withTransaction(logger: logger) { tx in
            guard let view = try await Self.view(id, role: role, on: tx, logger: logger) else {
                throw AppError.notFound("người lao động \(id)")
            }
            try await AuditLog.record(on: tx, actor: actor, action: "view", entity: "worker", entityID: id, logger: logger)
            return view
        }
    }

    /// Corrects a record: `change` turns the stored record (as the input that would create it)
    /// into the new one, which passes the same `ValidWorker` rules as a registration. The audit
    /// entry keeps only the changed fields, before and after.
    func edit(
        _ id: Int64,
        role: StaffRole,
        by actor: Principal,
        logger: Logger,
        change: @Sendable (WorkerInput) throws -> WorkerInput
    ) async throws -> WorkerView {
        try await self.client.withTransaction(logger: logger) { tx in
            guard let stored = try await tx.query(Self.storedRecord(id), logger: logger).first(String.self) else {
                throw AppError.notFound("người lao động \(id)")
            }
            try await ReferenceCheck(connection: tx, logger: logger).activeWorker(id, field: "id")
            let current = try WorkerInput.decoder.decode(WorkerInput.self, from: Data(stored.utf8))
            let valid = try ValidWorker(try change(current), today: .today())
            if let cccd = valid.cccd, let existing = try await Self.worker(withCCCD: cccd, on: tx, logger: logger), existing != id {
                throw AppError.conflict(
                    "Số CCCD này đã được đăng ký cho người lao động mã \(existing).",
                    field: "cccd",
                    extra: ["existing_id": existing]
                )
            }
            let ward = try await valid.checkReferences(ReferenceCheck(connection: tx, logger: logger))
            try await tx.query(
                """
                UPDATE workers SET full_name = \(valid.name), cccd = \(valid.cccd), cmnd = \(valid.cmnd), birth_date = \(valid.birth.description)::date,
                       sex = \(valid.sex.rawValue), ethnicity = \(valid.ethnicity), disability_type = \(valid.disability?.rawValue),
                       disability_severity = \(valid.severity?.rawValue), phone = \(valid.phone), ward_code = \(ward),
                       legacy_ward_code = \(valid.legacyWard), household_id = \(valid.householdID), max_commute_km = \(valid.maxCommuteKm),
                       willing_abroad = \(valid.willingAbroad), education_level = \(valid.education?.rawValue),
                       qualification = \(valid.qualification?.rawValue), major = \(valid.major), current_job = \(valid.currentJob),
                       unemployed_since = \(valid.unemployedSince?.description)::date, job_seeking_status = \(valid.jobSeekingStatus.rawValue)
                WHERE id = \(id)
                """,
                logger: logger
            )
            try await valid.replaceLinks(of: id, on: tx, logger: logger)
            var new = valid.auditValues(ward: ward)
            var previous = current.storedAuditValues
            for key in Set(new.keys).union(previous.keys) where new[key, default: ""] == previous[key, default: ""] {
                new.removeValue(forKey: key)
                previous.removeValue(forKey: key)
            }
            if !new.isEmpty {
                try await AuditLog.record(
                    on: tx,
                    actor: actor,
                    action: "update",
                    entity: "worker",
                    entityID: id,
                    before: previous,
                    after: new,
                    logger: logger
                )
            }
            return try await Self.view(id, role: role, on: tx, logger: logger)!
        }
    }

    /// One page of workers matching `criteria` and the cursor of the next page, if any.
    func search(_ criteria: WorkerSearch.Criteria, logger: Logger) async throws -> (rows: [WorkerSearch.Row], next: WorkerSearch.Cursor?) {
        try await self.client.withConnection { connection in
            try await WorkerSearch(connection: connection, logger: logger).page(criteria)
        }
    }

    /// One worker's record as staff see it, masked for the role; nil when there is none.
    static func view(_ id: Int64, role: StaffRole, on connection: PostgresConnection, logger: Logger) async throws -> WorkerView? {
        let rows = try await connection.query(
            """
            SELECT json_build_object(
                'id', w.id, 'full_name', w.full_name, 'cccd', w.cccd, 'cmnd', w.cmnd, 'birth_date', w.birth_date::text, 'sex', w.sex,
                'ethnicity', w.ethnicity, 'disability_type', w.disability_type, 'disability_severity', w.disability_severity,
                'phone', w.phone, 'ward_code', w.ward_code, 'ward_name', wd.ward_name, 'legacy_ward_code', w.legacy_ward_code,
                'household_id', w.household_id, 'household_status', household_status_on(w.household_id, \(LocalDate.today().description)::date),
                'education_level', w.education_level, 'qualification', w.qualification, 'major', w.major, 'current_job', w.current_job,
                'unemployed_since', w.unemployed_since::text, 'job_seeking_status', w.job_seeking_status, 'max_commute_km', w.max_commute_km,
                'willing_abroad', w.willing_abroad,
                'occupation_codes', ARRAY(SELECT occupation_code FROM worker_occupations WHERE worker_id = w.id ORDER BY 1),
                'preferred_ward_codes', ARRAY(SELECT ward_code FROM worker_preferred_areas WHERE worker_id = w.id AND ward_code IS NOT NULL ORDER BY 1),
                'preferred_legacy_district_codes',
                    ARRAY(SELECT legacy_district_code FROM worker_preferred_areas WHERE worker_id = w.id AND legacy_district_code IS NOT NULL ORDER BY 1),
                'merged_into', w.merged_into, 'anonymised', w.anonymised_at IS NOT NULL
            )::text
            FROM workers w JOIN wards_2025 wd ON wd.ward_code = w.ward_code WHERE w.id = \(id)
            """,
            logger: logger
        )
        guard let json = try await rows.first(String.self) else { return nil }
        var view = try WorkerInput.decoder.decode(WorkerView.self, from: Data(json.utf8))
        if role == .viewer {
            view.cccd = view.cccd.map(CitizenID.masked)
            view.cmnd = view.cmnd.map(CitizenID.masked)
            view.phone = view.phone.map(PersonalDataMask.phone)
        }
        return view
    }

    /// The record holding this CCCD, if any.
    static func worker(withCCCD cccd: String, on connection: PostgresConnection, logger: Logger) async throws -> Int64? {
        try await connection.query("SELECT id FROM workers WHERE cccd = \(cccd)", logger: logger).first(Int64.self)
    }

    /// The stored record as the JSON a client would send to create it (snake_case, no nulls), locked for the edit.
    static func storedRecord(_ id: Int64) -> PostgresQuery {
        """
        SELECT json_strip_nulls(json_build_object(
            'full_name', full_name, 'cccd', cccd, 'cmnd', cmnd, 'birth_date', birth_date::text, 'sex', sex, 'ward_code', ward_code,
            'legacy_ward_code', legacy_ward_code, 'household_id', household_id, 'phone', phone, 'ethnicity', ethnicity,
            'disability_type', disability_type, 'disability_severity', disability_severity, 'max_commute_km', max_commute_km,
            'willing_abroad', willing_abroad, 'education_level', education_level, 'qualification', qualification, 'major', major,
            'current_job', current_job, 'unemployed_since', unemployed_since::text, 'job_seeking_status', job_seeking_status,
            'occupation_codes', ARRAY(SELECT occupation_code FROM worker_occupations WHERE worker_id = w.id ORDER BY 1),
            'preferred_ward_codes', ARRAY(SELECT ward_code FROM worker_preferred_areas WHERE worker_id = w.id AND ward_code IS NOT NULL ORDER BY 1),
            'preferred_legacy_district_codes',
                ARRAY(SELECT legacy_district_code FROM worker_preferred_areas WHERE worker_id = w.id AND legacy_district_code IS NOT NULL ORDER BY 1)
        ))::text
        FROM workers w WHERE id = \(id) FOR UPDATE
        """
    }
}
