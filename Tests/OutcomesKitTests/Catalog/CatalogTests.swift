import Testing
@testable import OutcomesKit

/// The default catalogue (DATA-CONTRACT §3–4) and its validation.
@Suite struct CatalogTests {
    let catalog = Catalog.standard

    @Test func aliasesResolveIgnoringCase() {
        #expect(catalog.modality(named: "NeuroStar TMS")?.id == "tms")
        #expect(catalog.modality(named: "Invega Sustenna")?.id == "lai")
        #expect(catalog.modality(named: "SPRAVATO")?.id == "esketamine")
        #expect(catalog.instrument(named: "PHQ 9")?.id == "phq9")
        #expect(catalog.instrument(named: "BDI-II")?.id == "bdi2")
        #expect(catalog.instrument(named: "hads") == nil)
    }

    @Test func defaultsMatchTheSpecTables() {
        #expect(catalog.instruments.map(\.id) == ["bdi2", "bprs", "cgi_s", "gad7", "hamd17", "madrs", "mrs", "pcl5",
                                                 "phq9", "qids_sr16", "tnss", "ymrs"])
        #expect(catalog.modalities.map(\.id) == ["ait", "bhrt", "esketamine", "ketamine_iv", "lai", "ort", "tms"])
        let bprs = catalog.instrument(named: "bprs")!
        #expect((bprs.floor, bprs.max, bprs.minBaseline) == (18, 126, 41))
        #expect(bprs.response == .percent(40) && bprs.remission == nil)
        let lai = catalog.modality(named: "lai")!
        #expect(lai.instruments == ["ymrs", "bprs", "cgi_s", "phq9"])
        #expect((lai.horizonDays, lai.gapDays, lai.followUpDays, lai.retentionDays) == (180, 60, 45, 180))
    }

    @Test func rejectsACatalogueThatContradictsItself() {
        var instruments = Catalog.defaultInstruments
        instruments[0].aliases.append("gad-7")   // phq9 claiming GAD-7's alias
        #expect(throws: CatalogError.self) { try Catalog(instruments: instruments, modalities: Catalog.defaultModalities) }

        var modalities = Catalog.defaultModalities
        modalities[0].instruments.append("hads")
        #expect(throws: CatalogError.self) { try Catalog(instruments: Catalog.defaultInstruments, modalities: modalities) }
    }

    @Test func suggestsTheClosestName() {
        #expect(catalog.closestNames(to: "ketamin", among: .modality) == ["ketamine"])
        #expect(catalog.closestNames(to: "phq", among: .instrument).contains("phq9"))
        #expect(catalog.closestNames(to: "zzzzzzzzzz", among: .modality).isEmpty)
    }
}
