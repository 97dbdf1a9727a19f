import Foundation

/// A real spreadsheet reader for layout checks: LibreOffice headless (Debian's
/// libreoffice-calc-nogui, with the Liberation fonts that stand in for Times New Roman) turns an
/// XLSX into the PDF it would print, and poppler's tools read that PDF back. Installed on first use.
enum OfficeReader {
    static let packages = ["libreoffice-calc-nogui", "fonts-liberation", "poppler-utils"]

    /// Installs the tools unless they are there; returns LibreOffice's path.
    static func install() async throws -> String {
        try await SystemPackages.ensure(check: "command -v soffice && command -v pdfinfo && command -v pdftotext", packages: self.packages)
        return "/usr/bin/soffice"
    }

    /// A printed document: its pages' sizes in points, each page's text (pdftotext's layout), and its PDF.
    struct Printed {
        let pageSizes: [(width: Double, height: Double)]
        let pageTexts: [String]
        let pdf: String
    }

    /// Prints `xlsx` through LibreOffice into `directory` (which the caller removes).
    static func print(xlsx: [UInt8], in directory: String) async throws -> Printed {
        let soffice = try await self.install()
        let input = directory + "/report.xlsx"
        try Data(xlsx).write(to: URL(fileURLWithPath: input))
        // A profile of its own, so parallel tests (and a user's LibreOffice) never share one.
        let convert = try await ChildProcess.run(
            [
                soffice, "-env:UserInstallation=file://\(directory)/profile", "--headless", "--norestore", "--convert-to", "pdf",
                "--outdir", directory, input,
            ],
            environment: ["HOME": directory],
            timeout: .seconds(300)
        )
        let pdf = directory + "/report.pdf"
        guard convert.status == 0, FileManager.default.fileExists(atPath: pdf) else {
            throw TestFailure("LibreOffice made no PDF: \(convert.output.suffix(2000))")
        }
        let info = try await ChildProcess.run(["/usr/bin/pdfinfo", "-f", "1", "-l", "99", pdf])
        guard info.status == 0 else { throw TestFailure("pdfinfo: \(info.output.suffix(1000))") }
        // "Page    1 size: 595.304 x 841.89 pts (A4)"
        let sizes = info.output.split(separator: "\n").compactMap { line -> (Double, Double)? in
            guard line.hasPrefix("Page "), line.contains(" size: ") else { return nil }
            let parts = line.split(separator: ":", maxSplits: 1)[1].split(separator: " ")
            guard parts.count >= 3, let width = Double(parts[0]), let height = Double(parts[2]) else { return nil }
            return (width, height)
        }
        var texts: [String] = []
        for page in sizes.indices {
            let out = directory + "/page\(page + 1).txt"
            let text = try await ChildProcess.run(["/usr/bin/pdftotext", "-layout", "-f", "\(page + 1)", "-l", "\(page + 1)", pdf, out])
            guard text.status == 0 else { throw TestFailure("pdftotext: \(text.output.suffix(1000))") }
            texts.append(try String(contentsOfFile: out, encoding: .utf8))
        }
        return Printed(pageSizes: sizes, pageTexts: texts, pdf: pdf)
    }

    /// The first page of `pdf` as a PNG at `dpi`, into `directory`; returns its path.
    static func picture(of pdf: String, in directory: String, dpi: Int = 70) async throws -> String {
        let base = directory + "/page"
        let run = try await ChildProcess.run(["/usr/bin/pdftoppm", "-png", "-r", "\(dpi)", "-f", "1", "-l", "1", "-singlefile", pdf, base])
        guard run.status == 0 else { throw TestFailure("pdftoppm: \(run.output.suffix(1000))") }
        return base + ".png"
    }
}
