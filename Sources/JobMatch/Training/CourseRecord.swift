import Foundation
import JobMatchCore

/// A course's page values: the facts, and each learner with the state of the enrolment, the
/// certificate and the training support granted, worded for a clerk.
struct CourseRecord {
    var values: [String: Any]
    var rows: [[String: Any]]

    init(_ course: CourseDetails) {
        let supportable = CourseLevel(rawValue: course.level)?.isSupportable == true
        let taken = course.learners.filter { $0.status != "dropped" }.count
        self.rows = course.learners.map { learner -> [String: Any] in
            let amount = learner.supportAmountVND ?? 0
            return [
                "id": learner.enrolmentID, "worker": learner.workerID, "name": learner.fullName,
                "status": WebLabels.word(learner.status, in: WebLabels.enrolmentStatus), "isCompleted": learner.status == "completed",
                "certificate": learner.certificateNumber ?? "", "completedOn": WebDates.display(learner.completedOn ?? ""),
                "support": amount > 0 ? WebLabels.money(amount) + " · " + WebLabels.word(learner.supportBasis ?? "", in: WebLabels.supportBasis) : "",
                "supportDate": WebDates.display(learner.supportDecidedOn ?? ""),
                "canComplete": learner.status == "enrolled", "canSupport": learner.status == "completed" && supportable && !learner.everSupported,
                "supportedElsewhere": learner.everSupported && amount == 0,
            ]
        }
        self.values = [
            "courseId": course.id, "courseTitle": course.title,
            "occupation": WebLabels.occupationNamed(course.occupationCode, title: course.occupationTitle),
            "level": WebLabels.word(course.level, in: WebLabels.courseLevel), "start": WebDates.display(course.startDate),
            "end": WebDates.display(course.endDate), "seats": VietnameseFormat.number(course.seats), "taken": VietnameseFormat.number(taken),
            "free": VietnameseFormat.number(max(0, course.seats - taken)), "isFull": taken >= course.seats, "funding": course.fundingSource ?? "",
            "created": course.createdOn, "supportable": supportable, "hasEnrolments": !course.learners.isEmpty,
        ]
    }
}
