import ArgumentParser
import Foundation
import OutcomesKit

/// `outcomes synth`: deterministic synthetic exports for demos, tests and benchmarks.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write deterministic synthetic sessions and scores exports.",
        discussion: """
            Realistic schedules per modality (ketamine: 6 infusions over 2–3 weeks then
            boosters; esketamine twice weekly then weekly; TMS 36 weekday sessions; ORT
            weekly then monthly; LAI monthly; hormone therapy visits; allergy shots
            weekly then monthly) and score trajectories (rapid for ketamine, gradual for
            TMS, dropouts, non-responders, a few who get worse, missing, late and mild
            baselines), at four sites. --messy adds that share of extra rows of every
            reject kind, plus exact duplicates. --style messy-headers writes the same
            rows as other tools do: a byte-order mark, upper- and mixed-case headers,
            aliases in mixed case, patients and rows in random order. The same arguments always give
            byte-identical files.

            Examples:
              outcomes synth --patients 400 --seed 7 --out sample-data --messy 0.01
              outcomes synth --patients 45000 --seed 1 --out /tmp/big --split 24
              outcomes synth --patients 400 --seed 7 --out /tmp/epic --layout epic
              outcomes synth --patients 900 --out /tmp/m --style messy-headers
            """)

    @Option(help: "Number of patients.")
    var patients: Int

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "Folder to write into (created when missing).")
    var out: String

    @Option(help: "First day of the export period, YYYY-MM-DD.")
    var from: String = SyntheticOptions.defaultFrom.description

    @Option(help: "Last day of the export period, YYYY-MM-DD.")
    var to: String = SyntheticOptions.defaultTo.description

    @Option(help: "Share of extra messy rows, 0–1.")
    var messy: Double = 0

    @Option(help: "Files per kind, each a consecutive slice of the period (e.g. 24 for monthly files over 2 years).")
    var split: Int = 1

    @Option(help: "plain, or messy-headers: a byte-order mark, headers and names in mixed case (catalogue aliases), patients and rows in random order.")
    var style: SyntheticStyle = .plain

    @Option(help: "Also write a real export layout of the same patients (pm, epic, items or fhir), with its sources.yaml.")
    var layout: SyntheticLayout?

    func validate() throws {
        guard patients >= 0 else { throw ValidationError("--patients must not be negative") }
        guard Day(iso: from) != nil, Day(iso: to) != nil else { throw ValidationError("--from and --to must be YYYY-MM-DD dates") }
        guard Day(iso: from)! <= Day(iso: to)! else { throw ValidationError("--from must not be after --to") }
        guard (0...1).contains(messy) else { throw ValidationError("--messy must be between 0 and 1") }
        guard (1...1000).contains(split) else { throw ValidationError("--split must be 1–1000") }
        guard layout == nil || messy == 0 else { throw ValidationError("--layout writes clean rows only; leave out --messy") }
        guard layout == nil || style == .plain else { throw ValidationError("--layout writes this project's own spelling beside it; leave out --style") }
    }

    func run() throws {
        try runReportingErrors {
            let options = SyntheticOptions(patients: patients, seed: seed, from: Day(iso: from)!, to: Day(iso: to)!,
                                           messyRate: messy, split: split, style: style)
            guard let layout else {
                let summary = try SyntheticExport.write(options, to: out)
                print("wrote \(summary.files.count) files to \(out): \(summary.sessionRows) sessions, \(summary.scoreRows) scores, \(summary.messyRows) messy rows, \(summary.bytes) bytes")
                return
            }
            // This project's layout goes to OUT/canonical, the real layout and its sources.yaml to OUT.
            let canonical = (out as NSString).appendingPathComponent("canonical")
            let summary = try SyntheticExport.write(options, to: canonical)
            let files = try SyntheticLayouts.write(layout, canonical: canonical, to: out)
            print("wrote \(summary.sessionRows) sessions and \(summary.scoreRows) scores to \(canonical), and \(files.count) files of the \(layout.rawValue) layout to \(out) (read them with its sources.yaml)")
        }
    }
}
