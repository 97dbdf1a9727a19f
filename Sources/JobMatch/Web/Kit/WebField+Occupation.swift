extension WebField {
    /// A form's occupation: the common ones to choose from (`label`), and a box for any other ISCO code.
    static func occupation(_ label: String) -> [WebField] {
        [
            .select("occupation_code", label, WebLabels.commonOccupations, required: true),
            WebField(
                name: "occupation_other",
                label: "Mã nghề khác (ISCO 4 chữ số)",
                hint: "Chỉ nhập khi nghề không có trong danh sách trên.",
                maxLength: 4,
                pattern: "[0-9]{1,4}",
                autocomplete: "off"
            ),
        ]
    }
}
