/// Running tallies for the rows of an output file: one per cell (window,
/// modality, instrument…) for all sites together, and one per (cell, site)
/// that actually occurs. The all-sites tallies sit in a dense array (a few
/// hundred cells); the per-site ones are created on first use, so memory
/// grows with the rows the file will have, never with cells × distinct sites
/// (150,000 site names must not cost gigabytes).
struct CellTallies<Tally> {
    private var allSites: [Tally?]
    /// (cell, site) → position in `bySite`.
    private var slots: [SiteCell: Int] = [:]
    private var bySite: [(cell: Int, site: Int32, tally: Tally)] = []
    private let make: () -> Tally

    private struct SiteCell: Hashable {
        let cell: Int
        let site: Int32
    }

    init(cells: Int, make: @escaping () -> Tally) {
        allSites = Array(repeating: nil, count: cells)
        self.make = make
    }

    /// Applies `update` to the cell's all-sites tally and to its tally for
    /// `site` (none: all sites only).
    mutating func add(cell: Int, site: Int32?, _ update: (inout Tally) -> Void) {
        if allSites[cell] == nil { allSites[cell] = make() }
        update(&allSites[cell]!)
        guard let site else { return }
        let key = SiteCell(cell: cell, site: site)
        if let slot = slots[key] {
            update(&bySite[slot].tally)
        } else {
            var tally = make()
            update(&tally)
            slots[key] = bySite.count
            bySite.append((cell, site, tally))
        }
    }

    /// Every tally in output order: cells ascending; within a cell, all sites
    /// first (`site` nil), then the sites by `siteRank` (byte order of names).
    func ordered(siteRank: [Int]) -> [(cell: Int, site: Int32?, tally: Tally)] {
        let sites = bySite.sorted { ($0.cell, siteRank[Int($0.site)]) < ($1.cell, siteRank[Int($1.site)]) }
        var result: [(cell: Int, site: Int32?, tally: Tally)] = []
        result.reserveCapacity(sites.count + allSites.count)
        var next = 0
        for cell in allSites.indices {
            guard let tally = allSites[cell] else { continue }
            result.append((cell, nil, tally))
            while next < sites.count, sites[next].cell < cell { next += 1 }
            while next < sites.count, sites[next].cell == cell {
                result.append((cell, sites[next].site, sites[next].tally))
                next += 1
            }
        }
        return result
    }
}
