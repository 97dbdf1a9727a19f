import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// Finds workers the way clerks look for them: by name without diacritics (typos tolerated), by
/// the last digits of a CCCD or phone, with filters; in Vietnamese order (given name, then full
/// name), one keyset page at a time.
struct WorkerSearch {
    /// What the clerk asked for.
    struct Criteria: Sendable {
        var text: String?
        var wardCode: String?
        var legacyDistrictCode: String?
        var householdStatus: HouseholdStatus?
        var occupationCode: String?
        var jobSeekingStatus: String?
        var limit: Int = 50
        var after: Cursor?
    }

    /// Where a page ends: the sort key of its last row.
    struct Cursor: Sendable, Equatable {
        let givenName: String
        let fullName: String
        let id: Int64
        /// How the pages' names were matched (typo-tolerant when no name contained the text).
        var match: NameMatch = .words

        /// Opaque text for the client (base64url of JSON).
        var token: String {
            let data = (try? JSONEncoder().encode([givenName, fullName, String(id), match.rawValue])) ?? Data()
            return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }

        init(givenName: String, fullName: String, id: Int64, match: NameMatch = .words) {
            self.givenName = givenName
            self.fullName = fullName
            self.id = id
            self.match = match
        }

        init?(token: String) {
            let base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            guard let data = Data(base64Encoded: base64), let parts = try? JSONDecoder().decode([String].self, from: data),
                parts.count == 4, let id = Int64(parts[2]), let match = NameMatch(rawValue: parts[3])
            else { return nil }
            self.init(givenName: parts[0], fullName: parts[1], id: id, match: match)
        }
    }

    /// One row of the list; identifiers masked.
    struct Row: Codable, Sendable {
        let id: Int64
        let fullName: String
        let birthYear: Int
        let sex: String
        let wardCode: String
        let wardName: String
        let cccd: String?
        let phone: String?
        let householdStatus: String
        let jobSeekingStatus: String
    }

    /// How the name is matched, each a separate SQL text so that PostgreSQL plans each with the index
    /// that serves it; `$1` is the searched text (always a bound parameter).
    enum NameMatch: String, Sendable {
        /// Every typed word starts a word of the name (the words' GIN index), and the name contains
        /// the text as typed.
        case words = "e"
        /// Typo-tolerant, when nothing matches by words: every typed word starts a word of the name
        /// or is like one (trigram similarity of at least 0.3 to a word of the names' vocabulary,
        /// `name_words`); a typed word like no word of any name is left out. The words' GIN index again.
        case fuzzy = "f"
        /// When that finds no one either and three words or more were typed: the first and the last
        /// (the family and the given name) matched as `fuzzy`, the middle ones left out, the part of
        /// a name most often given wrong (Văn for Thị).
        case fuzzyEnds = "g"

        /// The `tsquery` text the typed text `t.text` becomes.
        var query: String {
            switch self {
            case .words:
                "(SELECT string_agg(word || ':*', ' & ') FROM regexp_split_to_table(t.text, '[^a-z0-9]+') AS word WHERE word <> '')"
            case .fuzzy, .fuzzyEnds:
                """
                (SELECT string_agg('(' || typed.word || ':*' || COALESCE(typed.alike, '') || ')', ' & ')
                 FROM (SELECT word, row_number() OVER (ORDER BY place) AS place, count(*) OVER () AS words,
                              (SELECT string_agg(' | ' || v.word, '' ORDER BY v.word) FROM name_words v WHERE v.word % split.word) AS alike
                       FROM regexp_split_to_table(t.text, '[^a-z0-9]+') WITH ORDINALITY AS split(word, place) WHERE word <> '') typed
                 WHERE \(self == .fuzzyEnds ? "typed.place IN (1, typed.words) AND " : "")
                       (typed.alike IS NOT NULL OR EXISTS (SELECT 1 FROM name_words v WHERE starts_with(v.word, typed.word))))
                """
            }
        }

        var condition: String {
            switch self {
            case .words:
                "to_tsvector('simple', w.search_name) @@ to_tsquery('simple', (SELECT query FROM typed)) AND strpos(w.search_name, (SELECT text FROM typed)) > 0"
            case .fuzzy, .fuzzyEnds: "to_tsvector('simple', w.search_name) @@ to_tsquery('simple', (SELECT query FROM typed))"
            }
        }
    }

    let connection: PostgresConnection
    let logger: Logger
    /// The most matches `NameMatch.words` sorts itself; past it the index in Vietnamese order is quicker.
    var wordsCap = 20_000

    /// One page of matches and the cursor of the next page, if any. Names containing the text come
    /// first; only when none does are typo-tolerant matches (`NameMatch.fuzzy`) listed, and when none
    /// is either, those of the first and last words typed (`NameMatch.fuzzyEnds`).
    func page(_ criteria: Criteria, today: LocalDate = .today()) async throws -> (rows: [Row], next: Cursor?) {
        if let cursor = criteria.after { return try await self.page(criteria, match: cursor.match, today: today) }
        let exact = try await self.page(criteria, match: .words, today: today)
        let text = criteria.text.map(CleanText.normalize) ?? ""
        guard exact.rows.isEmpty, !text.isEmpty, !text.allSatisfy(\.isNumber) else { return exact }
        let fuzzy = try await self.page(criteria, match: .fuzzy, today: today)
        let words = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).count
        guard fuzzy.rows.isEmpty, words >= 3 else { return fuzzy }
        return try await self.page(criteria, match: .fuzzyEnds, today: today)
    }

    private func page(_ criteria: Criteria, match: NameMatch, today: LocalDate) async throws -> (rows: [Row], next: Cursor?) {
        let text = criteria.text.map(CleanText.normalize).flatMap { $0.isEmpty ? nil : $0 }
        let hasName = text.map { !$0.allSatisfy { $0.isASCII && $0.isNumber } } ?? false
        // A name's matches (by words or typo-tolerant) are read apart, at most `wordsCap` (so that
        // PostgreSQL finds them by the words' index instead of walking the Vietnamese order for them)
        // and sorted after;
        // when more people match, the order's index is quick (the matches are dense), so it may walk it.
        let found = try await self.page(criteria, text: text, match: match, capped: hasName, today: today)
        if found.matches > self.wordsCap {
            let dense = try await self.page(criteria, text: text, match: match, capped: false, today: today)
            return (dense.rows, dense.next)
        }
        return (found.rows, found.next)
    }

    /// One page with the name matched as `match`; when `capped`, the matches are read apart and
    /// `matches` counts them, up to `wordsCap + 1` (0 otherwise).
    private func page(
        _ criteria: Criteria,
        text: String?,
        match: NameMatch,
        capped: Bool,
        today: LocalDate
    ) async throws -> (rows: [Row], next: Cursor?, matches: Int) {
        let digits = text.flatMap { $0.allSatisfy { $0.isASCII && $0.isNumber } ? $0 : nil }
        let name = digits == nil ? text : nil
        let reversedDigits = digits.map { String($0.reversed()) }
        let status = criteria.householdStatus?.rawValue
        // The searched text is bound first, so it is `$1` in the name conditions below.
        let rows = try await self.connection.query(
            """
            WITH typed AS (
                SELECT t.text, \(unescaped: match.query) AS query
                FROM (SELECT lower(immutable_unaccent(\(name)::text)) AS text) t)
            SELECT found.id, found.full_name, found.given_name, date_part('year', found.birth_date)::int, found.sex, found.ward_code,
                   found.ward_name, found.cccd, found.phone, household_status_on(found.household_id, \(today.description)::date),
                   found.job_seeking_status, \(unescaped: capped ? "count(*) OVER ()" : "0::bigint")
            FROM (
                SELECT w.id, w.full_name, w.given_name, w.birth_date, w.sex, w.ward_code, wd.ward_name, w.cccd, w.phone, w.household_id,
                       w.job_seeking_status
                FROM workers w JOIN wards_2025 wd ON wd.ward_code = w.ward_code
                WHERE w.merged_into IS NULL AND ($1::text IS NULL OR \(unescaped: match.condition))
                  AND (\(reversedDigits)::text IS NULL
                       OR reverse(w.cccd) LIKE \(reversedDigits)::text || '%' OR reverse(w.phone) LIKE \(reversedDigits)::text || '%')
                  AND (\(criteria.wardCode)::text IS NULL OR w.ward_code = \(criteria.wardCode)::text)
                  AND (\(criteria.legacyDistrictCode)::text IS NULL OR EXISTS (
                        SELECT 1 FROM legacy_wards lw WHERE lw.ward_code = w.legacy_ward_code AND lw.district_code = \(criteria.legacyDistrictCode)::text)
                       OR (w.legacy_ward_code IS NULL AND EXISTS (
                        SELECT 1 FROM ward_crosswalk cw JOIN legacy_wards lw ON lw.ward_code = cw.legacy_ward_code
                        WHERE cw.ward_code = w.ward_code AND lw.district_code = \(criteria.legacyDistrictCode)::text)))
                  AND (\(criteria.occupationCode)::text IS NULL OR EXISTS (
                        SELECT 1 FROM worker_occupations o WHERE o.worker_id = w.id AND o.occupation_code LIKE \(criteria.occupationCode)::text || '%'))
                  AND (\(criteria.jobSeekingStatus)::text IS NULL OR w.job_seeking_status = \(criteria.jobSeekingStatus)::text)
                  AND (\(status)::text IS NULL OR household_status_on(w.household_id, \(today.description)::date) = \(status)::text)
                  AND (\(criteria.after?.id)::bigint IS NULL
                       OR (w.given_name COLLATE "vi-VN-x-icu", w.full_name COLLATE "vi-VN-x-icu", w.id)
                          > (\(criteria.after?.givenName)::text COLLATE "vi-VN-x-icu", \(criteria.after?.fullName)::text COLLATE "vi-VN-x-icu", \(criteria.after?.id)::bigint))
                \(unescaped: capped ? "LIMIT \(self.wordsCap + 1)" : "")
            ) found
            ORDER BY found.given_name COLLATE "vi-VN-x-icu", found.full_name COLLATE "vi-VN-x-icu", found.id
            LIMIT \(criteria.limit + 1)
            """,
            logger: self.logger
        )
        var result: [(Row, String)] = []
        var matches = 0
        typealias Columns = (Int64, String, String, Int, String, String, String, String?, String?, String, String, Int64)
        for try await r in rows.decode(Columns.self) {
            result.append(
                (
                    Row(
                        id: r.0,
                        fullName: r.1,
                        birthYear: r.3,
                        sex: r.4,
                        wardCode: r.5,
                        wardName: r.6,
                        cccd: r.7.map(CitizenID.masked),
                        phone: r.8.map(PersonalDataMask.phone),
                        householdStatus: r.9,
                        jobSeekingStatus: r.10
                    ), r.2
                )
            )
            matches = Int(r.11)
        }
        let page = Array(result.prefix(criteria.limit))
        let next = result.count > criteria.limit ? page.last.map { Cursor(givenName: $0.1, fullName: $0.0.fullName, id: $0.0.id, match: match) } : nil
        return (page.map(\.0), next, matches)
    }
}
