/// DATA-CONTRACT §7: the report windows of month `M`, in output order.
public enum WindowKind: String, Sendable, CaseIterable, Comparable, Codable {
    /// W in M.
    case month
    /// W in the 12 months ending with M.
    case twelveMonths = "12m"
    /// W ≤ C.
    case all

    public static func < (lhs: WindowKind, rhs: WindowKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One report window with its first and last day.
public struct ReportWindow: Hashable, Sendable, Codable {
    public let kind: WindowKind
    public let periodStart: Day
    public let periodEnd: Day

    /// Whether a course judged on `day` (its W, or its retention day) belongs here.
    public func contains(_ day: Day) -> Bool { day >= periodStart && day <= periodEnd }
}

/// The cut date `C` of a report month: its last day. Everything dated after
/// it does not exist for that month's report (DATA-CONTRACT §5).
public func cutDate(of month: YearMonth) -> Day { month.lastDay }

/// DATA-CONTRACT §7–8: the three windows of report month `month`. The `all` window
/// starts on the earliest session stored (≤ C); without one it starts on C.
public func reportWindows(month: YearMonth, firstSessionDay: Day?) -> [ReportWindow] {
    let cut = cutDate(of: month)
    return [
        ReportWindow(kind: .month, periodStart: month.firstDay, periodEnd: cut),
        ReportWindow(kind: .twelveMonths, periodStart: month.adding(months: -11).firstDay, periodEnd: cut),
        ReportWindow(kind: .all, periodStart: min(firstSessionDay ?? cut, cut), periodEnd: cut),
    ]
}
