extension ReportView {
    /// Missing baselines and follow-up, and the rows rejected at ingest.
    func qualitySection(into markdown: inout Markdown) {
        var text = "Outcomes are only as good as the measurements behind them. Last 12 months, all sites: a course is "
        text += "**measured** when it has a qualifying baseline (the ITT population); the last column is the share of "
        text += "measured courses with no score at the end.\n\n"
        let rows = allSitesRows(.twelveMonths)
        if rows.isEmpty {
            text += "No closed course in the last 12 months.\n"
        } else {
            text += Markdown.table(
                ["Modality", "Scale", "Courses", "No baseline", "Below threshold", "Measured", "Without follow-up"],
                rows.map { masked in
                    let row = masked.row
                    let noFollowup = row.intentionToTreat - row.evaluable
                    return [modalityName(row.modality),
                            instrumentName(row.instrument), Markdown.count(masked.courses),
                            share(row.noBaseline, of: row.courses), Markdown.count(masked.belowThreshold),
                            Markdown.count(masked.intentionToTreat), share(noFollowup, of: row.intentionToTreat)]
                }, numeric: [2, 3, 4, 5, 6])
        }

        text += "\n### Rejected rows\n\n"
        let files = content.files
        let totalRecords = files.reduce(0) { $0 + $1.records }
        let totalRejected = files.reduce(0) { $0 + $1.rejected }
        let sessionsFiles = files.filter { $0.kind == .sessions }.count
        text += "\(count(files.count)) files ingested (\(count(sessionsFiles)) sessions, "
        text += "\(count(files.count - sessionsFiles)) scores): "
        text += "\(count(totalRecords)) records, \(count(files.reduce(0) { $0 + $1.loaded })) loaded, "
        text += "\(count(files.reduce(0) { $0 + $1.duplicates })) exact duplicates, "
        text += "\(count(totalRejected)) rejected"
        if totalRecords > 0, !policy.isSmall(totalRejected) {
            text += " (\(NumberFormat.fixed(100 * Double(totalRejected) / Double(totalRecords), decimals: 1)) %)"
        }
        text += ". Rejected rows are listed in `rejects.csv`, with the file, the record number and the reason.\n\n"
        let reasons = content.rejectCounts.filter { $0.count > 0 }
        if !reasons.isEmpty {
            text += Markdown.table(["Reason", "Rows", "Meaning"], reasons.map { entry in
                ["`\(entry.reason.rawValue)`", count(entry.count), entry.reason.meaning]
            }, numeric: [1])
        }
        if !policy.isOn, !files.isEmpty {
            text += "\n<details><summary>Files ingested</summary>\n\n"
            text += Markdown.table(["File", "Kind", "Records", "Loaded", "Duplicates", "Rejected"], files.map { file in
                [Markdown.escape(file.name), file.kind.rawValue, String(file.records), String(file.loaded),
                 String(file.duplicates), String(file.rejected)]
            }, numeric: [2, 3, 4, 5])
            text += "\n</details>\n"
        }
        markdown.raw(text)
    }

    /// "3 (12 %)": a count and its share, the share withheld when any part is small.
    func share(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "–" }
        let cell = count(part)
        guard !policy.isSmall(part), !policy.isSmall(whole), !policy.isSmall(whole - part) else { return cell }
        return "\(cell) (\(Markdown.percent(Double(part) / Double(whole))))"
    }
}
