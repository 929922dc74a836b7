extension ReportView {
    /// Missing baselines and follow-up, and the rows rejected at ingest.
    func qualitySection(into markdown: inout Markdown) {
        var text = "Outcomes are only as good as the measurements behind them. Last 12 months, all sites: a course is "
        text += "**measured** when it has a qualifying baseline (the ITT population); the last column is the share of "
        text += "measured courses with no score at the end.\n\n"
        let indices = allSitesRowIndices(.twelveMonths)
        if indices.isEmpty {
            text += "No closed course in the last 12 months.\n"
        } else {
            text += Markdown.table(
                ["Modality", "Scale", "Courses", "No baseline", "Below threshold", "Measured", "Without follow-up"],
                indices.map { index in
                    let masked = outcomeRow(at: index), row = masked.row
                    let noFollowup = disclosure.noFollowup(row, at: index)
                    return [modalityName(row.modality), instrumentName(row.instrument), Markdown.count(masked.courses),
                            share(masked.noBaseline, of: masked.courses), Markdown.count(masked.belowThreshold),
                            Markdown.count(masked.intentionToTreat), share(noFollowup, of: masked.intentionToTreat)]
                }, numeric: [2, 3, 4, 5, 6])
        }

        text += "\n### Rejected rows\n\n"
        let files = content.files
        let totals = disclosure.ingestTotals(records: files.reduce(0) { $0 + $1.records }, loaded: files.reduce(0) { $0 + $1.loaded },
                                             duplicates: files.reduce(0) { $0 + $1.duplicates },
                                             rejected: files.reduce(0) { $0 + $1.rejected })
        let sessionsFiles = files.filter { $0.kind == .sessions }.count
        text += "\(files.count) files ingested (\(sessionsFiles) sessions, \(files.count - sessionsFiles) scores): "
        text += "\(Markdown.count(totals.records)) records, \(Markdown.count(totals.loaded)) loaded, "
        text += "\(Markdown.count(totals.duplicates)) exact duplicates, \(Markdown.count(totals.rejected)) rejected"
        if let records = totals.records.shownValue, records > 0, let rejected = totals.rejected.shownValue {
            text += " (\(NumberFormat.fixed(100 * Double(rejected) / Double(records), decimals: 1)) %)"
        }
        text += ". Rejected rows are listed in `rejects.csv`, with the file, the record number and the reason.\n\n"
        let reasons = content.rejectCounts.indices.filter { content.rejectCounts[$0].count > 0 }
        if !reasons.isEmpty {
            text += Markdown.table(["Reason", "Rows", "Meaning"], reasons.map { index in
                let entry = content.rejectCounts[index]
                return ["`\(entry.reason.rawValue)`", Markdown.count(disclosure.rejected(reason: index, count: entry.count)),
                        entry.reason.meaning]
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

    /// "3 (12 %)": a count and its share, the share shown only when both counts are.
    func share(_ part: CountCell, of whole: CountCell) -> String {
        guard case .value(let total) = whole, total > 0, case .value(let value) = part else {
            return whole.shownValue == 0 ? "–" : Markdown.count(part)
        }
        return "\(value) (\(Markdown.percent(Double(value) / Double(total))))"
    }
}
