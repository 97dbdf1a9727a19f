import Hummingbird

/// What the job-fair service answers: a session's summary (lists, the board), its whole page (the
/// participants, who came, the interviews), and one attendance or interview after a change.
enum JobFairView {
    /// A session in a list.
    struct Summary: ResponseCodable {
        let id: Int64
        let title: String
        let heldOn: String
        let place: String
        let wardCode: String
        let wardName: String
        let kind: String
        let kindName: String
        /// `planned`, `held` (its day has come) or `cancelled`.
        let state: String
        let stateName: String
        let employers: Int64
        let attendees: Int64
        let announcedAt: String?
    }

    struct SummaryList: ResponseCodable {
        let jobFairs: [Summary]
    }

    /// A vacancy brought to the session.
    struct Vacancy: ResponseCodable {
        let id: Int64
        let title: String
        let occupationCode: String
        let slots: Int
        let slotsFilled: Int
    }

    /// An employer taking part, with what it brought.
    struct Employer: ResponseCodable {
        let id: Int64
        let name: String
        let vacancies: [Vacancy]
    }

    /// A worker who came.
    struct Attendance: ResponseCodable {
        let id: Int64
        let workerId: Int64
        let workerName: String
        /// `cccd`, `letter` or `walk_in`.
        let means: String
        let referralId: Int64?
        /// Vietnam time, `YYYY-MM-DDTHH:MM:SS`.
        let checkedInAt: String
    }

    /// An interview at the session and where it led.
    struct Interview: ResponseCodable {
        let id: Int64
        let attendanceId: Int64
        let workerId: Int64
        let workerName: String
        let vacancyId: Int64
        let vacancyTitle: String
        let employer: String
        /// `interviewed`, `offered`, `hired` or `declined`.
        let stage: String
        let placementId: Int64?
    }

    /// A session's whole page.
    struct Detail: ResponseCodable {
        let jobFair: Summary
        let employers: [Employer]
        let attendances: [Attendance]
        let interviews: [Interview]
    }

    /// The Vietnamese name of a state.
    static func stateName(_ state: String) -> String {
        switch state {
        case "cancelled": "Đã hủy"
        case "held": "Đã tổ chức"
        default: "Sắp tổ chức"
        }
    }

    /// The Vietnamese name of an interview's stage.
    static func stageName(_ stage: String) -> String {
        switch stage {
        case "interviewed": "Đã phỏng vấn"
        case "offered": "Được mời nhận việc"
        case "hired": "Đã tuyển"
        case "declined": "Không nhận"
        case "hire_reversed": "Đã hủy tuyển"
        default: stage
        }
    }

    /// The Vietnamese name of a check-in means.
    static func meansName(_ means: String) -> String {
        switch means {
        case "cccd": "Số CCCD"
        case "letter": "Giấy giới thiệu"
        case "walk_in": "Đăng ký tại chỗ"
        default: means
        }
    }
}
