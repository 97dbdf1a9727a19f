import Foundation
import JobMatchCore

/// An employer's page values: the facts, its vacancies and its webhooks (never their secrets), worded for a clerk.
enum EmployerRecord {
    static func values(_ employer: EmployerDetails, today: LocalDate = .today()) -> [String: Any] {
        [
            "employerId": employer.id, "name": employer.name, "taxCode": employer.taxCode, "ward": employer.wardName + ", " + employer.provinceName,
            "sector": employer.sector ?? "", "contactName": employer.contactName ?? "", "contactPhone": employer.contactPhone ?? "",
            "contactEmail": employer.contactEmail ?? "", "created": employer.createdOn,
            "vacancies": employer.vacancies.map { vacancy -> [String: Any] in
                let open = vacancy.status == "open" && (LocalDate(vacancy.closingDate).map { $0 >= today } ?? false)
                return [
                    "id": vacancy.id, "title": vacancy.title, "occupation": WebLabels.occupation(vacancy.occupationCode),
                    "slots": "\(VietnameseFormat.number(vacancy.slotsFilled))/\(VietnameseFormat.number(vacancy.slots))",
                    "closing": WebDates.display(vacancy.closingDate),
                    "status": open
                        ? "Đang tuyển" : vacancy.status == "open" ? "Hết hạn nộp hồ sơ" : WebLabels.word(vacancy.status, in: WebLabels.vacancyStatus),
                    "open": open,
                ]
            },
            "hasVacancies": !employer.vacancies.isEmpty,
            "webhooks": employer.webhooks.map { hook -> [String: Any] in
                [
                    "id": hook.id, "url": hook.url, "active": hook.active, "since": hook.since,
                    "events": WebLabels.webhookEvents.map { ["code": $0.0, "text": $0.1] },
                ]
            },
            "hasWebhooks": !employer.webhooks.isEmpty,
        ]
    }
}
