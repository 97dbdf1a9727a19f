import Foundation
import JobMatchCore

/// The worker page's values: the record (masked for the role) with its household and status
/// history, consents, enrolments, referrals and placements, worded for a clerk.
struct WorkerRecord {
    let values: [String: Any]

    init(_ worker: WorkerView, history: WorkerHistory) {
        let id = worker.id
        var values: [String: Any] = [
            "id": id, "name": worker.fullName, "birth": WebDates.display(worker.birthDate), "sex": WebLabels.word(worker.sex, in: WebLabels.sex),
            "cccd": worker.cccd ?? "", "cmnd": worker.cmnd ?? "", "phone": worker.phone ?? "", "ward": worker.wardName,
            "ethnicity": worker.ethnicity ?? "",
            "disability": worker.disabilityType.map {
                WebLabels.word($0, in: WebLabels.disabilityType) + " ("
                    + WebLabels.word(worker.disabilitySeverity, in: WebLabels.disabilitySeverity).lowercased() + ")"
            } ?? "",
            "education": WebLabels.word(worker.educationLevel, in: WebLabels.education),
            "qualification": WebLabels.word(worker.qualification, in: WebLabels.qualification),
            "major": worker.major ?? "", "currentJob": worker.currentJob ?? "",
            "seeking": WebLabels.word(worker.jobSeekingStatus, in: WebLabels.jobSeeking),
            "commute": worker.maxCommuteKm.map { "\($0) km" } ?? "", "abroad": worker.willingAbroad ? "Có" : "Không",
            "householdStatus": HouseholdStatus(rawValue: worker.householdStatus)?.vietnamese ?? worker.householdStatus,
            "mergedInto": worker.mergedInto ?? 0, "isMerged": worker.mergedInto != nil, "anonymised": worker.anonymised,
        ]
        values["occupations"] = history.occupations.map { occupation in
            ["code": occupation.code, "title": occupation.title]
        }
        if let household = history.household {
            values["household"] =
                [
                    "id": household.id, "head": household.headName ?? "", "code": household.code ?? "",
                    "statuses": household.statuses.map { period in
                        [
                            "status": HouseholdStatus(rawValue: period.status)?.vietnamese ?? period.status,
                            "from": WebDates.display(period.validFrom),
                            "to": period.validTo.map(WebDates.display) ?? "nay",
                            "standard": WebLabels.word(period.standard, in: WebLabels.householdStandard),
                            "decision": period.decisionRef ?? "",
                        ]
                    },
                ] as [String: Any]
        }
        values["consents"] = history.consents.reversed().map { consent in
            [
                "id": consent.id, "purpose": WebLabels.word(consent.purpose, in: WebLabels.consentPurpose),
                "means": WebLabels.word(consent.means, in: WebLabels.consentMeans), "given": WebDates.display(consent.givenAt),
                "withdrawn": consent.withdrawnAt.map(WebDates.display) ?? "", "active": consent.withdrawnAt == nil,
            ]
        }
        values["enrolments"] = history.enrolments.map { enrolment in
            [
                "course": enrolment.courseID, "title": enrolment.title, "start": WebDates.display(enrolment.startDate),
                "end": WebDates.display(enrolment.endDate), "status": WebLabels.word(enrolment.status, in: WebLabels.enrolmentStatus),
                "certificate": enrolment.certificateNumber ?? "",
            ]
        }
        values["referrals"] = history.referrals.map { referral in
            [
                "id": referral.id, "vacancy": referral.vacancyID, "title": referral.vacancyTitle, "employer": referral.employerName,
                "status": WebLabels.word(referral.status, in: WebLabels.referralStatus), "updated": referral.updatedOn,
            ]
        }
        values["placements"] = history.placements.map { placement in
            [
                "id": placement.id, "channel": WebLabels.word(placement.channel, in: WebLabels.placementChannel),
                "start": WebDates.display(placement.startDate),
                "where": placement.destinationCountry.map(CountryNames.vietnamese) ?? placement.employerName ?? "",
                "contract": ContractType.vietnamese(placement.contractType), "contractEnd": WebDates.display(placement.contractEndDate),
                "isReversal": placement.isReversal, "reversed": placement.isReversed,
            ]
        }
        values["workerId"] = id
        for name in ["consents", "enrolments", "referrals", "placements"] {
            values["has" + name.prefix(1).uppercased() + name.dropFirst()] = !((values[name] as? [[String: Any]]) ?? []).isEmpty
        }
        self.values = values
    }
}
