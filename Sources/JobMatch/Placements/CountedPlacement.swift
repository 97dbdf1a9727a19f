/// The SQL that describes a counted placement (a row `c` of `counted_placements`), shared by
/// the progress report and the exports.
enum CountedPlacement {
    /// What a counted placement `c` is shown with: the placement `p`, its worker record `w`, the
    /// person `pw`, their 2025 ward `wd`, the household status `hs` valid on the counting date (the
    /// rule of `household_status_on`) and the legacy district `ld` (the rule of `legacy_district_of`),
    /// as joins: those functions, called per row, cost more than the whole count.
    static let joins = """
        JOIN placements p ON p.id = c.placement_id
        JOIN workers w ON w.id = c.worker_id
        JOIN workers pw ON pw.id = c.person_id
        JOIN wards_2025 wd ON wd.ward_code = pw.ward_code
        LEFT JOIN household_statuses hs ON hs.household_id = w.household_id AND hs.valid_from <= c.counting_date
                                       AND (hs.valid_to IS NULL OR hs.valid_to >= c.counting_date)
        LEFT JOIN legacy_wards plw ON plw.ward_code = pw.legacy_ward_code
        LEFT JOIN ward_single_district wsd ON wsd.ward_code = pw.ward_code
        LEFT JOIN legacy_districts ld ON ld.district_code = CASE WHEN pw.legacy_ward_code IS NOT NULL THEN plw.district_code ELSE wsd.district_code END
        """
}
