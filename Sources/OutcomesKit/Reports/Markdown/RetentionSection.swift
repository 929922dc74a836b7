extension ReportView {
    /// Retention for the treatments with a retention rule (opioid replacement, long-acting injectables).
    func retentionSection(into markdown: inout Markdown) {
        let modalities = catalog.modalities.indices.filter { catalog.modalities[$0].retentionDays != nil }
        guard !modalities.isEmpty else {
            markdown.raw("No modality has a retention rule.\n")
            return
        }
        var text = ""
        for (position, modalityIndex) in modalities.enumerated() {
            let modality = catalog.modalities[modalityIndex]
            let days = modality.retentionDays!
            text += "\(position == 0 ? "" : "\n")### \(Markdown.escape(modality.name))\n\n"
            text += "A course is **retained** when its last session is at least \(days) days after its first. It is judged "
            text += "\(days + modality.gapDays) days after its start (\(days) + the \(modality.gapDays)-day gap rule), "
            text += "when a patient still in treatment has surely come back.\n\n"
            let all = retention.filter { $0.row.modality == modalityIndex && (content.siteBreakdown || $0.row.site == .allSites) }
            let (rows, omitted) = limitingSites(all, site: \.row.site, weight: \.row.evaluable)
            guard !rows.isEmpty else {
                text += "No course is evaluable yet.\n"
                continue
            }
            text += Markdown.table(
                ["Window", "Site", "Evaluable", "Retained", "Retention"],
                rows.map { masked in
                    [ReportView.windowLabels[masked.row.window.kind]!,
                     masked.row.site == .allSites ? "All sites" : Markdown.escape(masked.row.site.label),
                     Markdown.count(masked.evaluable), Markdown.count(masked.retained),
                     Markdown.rateWithInterval(masked.retention)]
                }, numeric: [2, 3, 4])
            if omitted > 0 { text += ReportView.omittedSites(omitted, file: "retention.csv") }
        }
        markdown.raw(text)
    }
}
