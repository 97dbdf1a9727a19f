import JobMatchCore
import Testing

/// Finding a template's words and replacing them, its markup and Mustache tags untouched.
@Suite("Template messages")
struct TemplateMessagesTests {
    static let template = """
        <html lang="vi"><head><title>{{pageTitle}} · Trung tâm</title></head>
        <h1>Người lao động</h1>
        <p class="hint" aria-label="Gợi ý {{name}}">Tìm thấy {{count}}
           người{{#more}} <strong>trở lên</strong>{{/more}}.</p>
        <input name="q" value="{{q}}" placeholder="Họ tên" data-x="Không dịch">
        <a href="/" {{#current}}aria-current="page"{{/current}}>Tổng quan</a>
        <script>let s = "Không phải chữ";</script><!-- Ghi chú -->
        {{! bình luận }}{{{chart}}} · 12
        """

    @Test("every run of text with a letter, value tags inside it, and the read attributes")
    func messages() {
        #expect(
            TemplateMessages.messages(in: Self.template)
                == [
                    "{{pageTitle}} · Trung tâm", "Người lao động", "Gợi ý {{name}}", "Tìm thấy {{count}} người", "trở lên", ".",
                    "Họ tên", "Tổng quan",
                ].filter(TemplateMessages.isMessage)
        )
    }

    @Test("a rewrite replaces only the words, keeps the spacing and markup, and sets the language")
    func rewrite() {
        let english = [
            "{{pageTitle}} · Trung tâm": "{{pageTitle}} · Centre", "Người lao động": "Workers", "Gợi ý {{name}}": "Hint {{name}}",
            "Tìm thấy {{count}} người": "Found {{count}} people", "trở lên": "or more", "Họ tên": "Full name", "Tổng quan": "Overview",
        ]
        let rewritten = TemplateMessages.rewrite(Self.template, lang: "en") { english[$0] }
        #expect(rewritten.contains("<html lang=\"en\">"))
        #expect(rewritten.contains("<title>{{pageTitle}} · Centre</title>"))
        #expect(rewritten.contains("<h1>Workers</h1>"))
        #expect(rewritten.contains("aria-label=\"Hint {{name}}\">Found {{count}} people{{#more}} <strong>or more</strong>{{/more}}.</p>"))
        #expect(rewritten.contains("placeholder=\"Full name\" data-x=\"Không dịch\""))
        #expect(rewritten.contains("{{#current}}aria-current=\"page\"{{/current}}>Overview</a>"))
        #expect(rewritten.contains("<script>let s = \"Không phải chữ\";</script><!-- Ghi chú -->"))
        #expect(rewritten.contains("{{! bình luận }}{{{chart}}} · 12"))
        let unchanged = TemplateMessages.rewrite(Self.template) { _ in nil }
        #expect(unchanged == Self.template, "with nothing to replace, the template comes back byte for byte")
    }
}

/// The catalog's exact words and `{}` patterns.
@Suite("Translation catalog")
struct TranslationCatalogTests {
    @Test("exact words, and patterns carrying their values into the English")
    func lookups() {
        let catalog = TranslationCatalog(entries: [
            "Hộ {}": "Household {}", "Hộ nghèo": "Poor household", "Hợp đồng số {} của {}": "Contract {} of {}",
            "{} người": "{} people", "Sai {}": "Wrong", "Hãy nhập {}.": "Enter {}.", "Mã hồ sơ": "Record number",
            "{}: {} trên {}": "{}: {} of {}",
        ])
        #expect(catalog.english("Hộ nghèo") == "Poor household", "an exact word wins over a pattern")
        #expect(catalog.english("Hộ Nguyễn Văn An") == "Household Nguyễn Văn An")
        #expect(catalog.english("Hợp đồng số 12 của Lê Thị Hoa") == "Contract 12 of Lê Thị Hoa")
        #expect(catalog.english("3 người") == "3 people")
        #expect(catalog.english("Hộ ") == "Household ", "a hole may be empty")
        #expect(catalog.english("Hộ nghèo: 3 trên 10") == "Poor household: 3 of 10", "a value that is a word of the catalog is translated too")
        #expect(catalog.english("Hãy nhập mã hồ sơ.") == "Enter record number.", "a label written in lower case inside a sentence")
        #expect(catalog.english("Nguyễn Văn An") == nil)
        #expect(catalog.english("Sai x") == nil && catalog.english("Sai {}") == "Wrong", "an English without the holes is an exact word")
    }
}
