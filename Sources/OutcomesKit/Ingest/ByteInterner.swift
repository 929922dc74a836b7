/// A hash map from short byte strings (patient pseudonyms) to integers,
/// keyed on the raw bytes: no `String` is made per row, and nothing is
/// allocated on a hit. Open addressing with linear probing; the keys live
/// back to back in one arena.
///
/// Bounded: when `limit` keys are held it starts over empty, so memory stays
/// flat whatever the number of patients (at most about 20 MB for the default
/// limit, which holds the patients of a practice group's decade of exports).
struct ByteInterner {
    private var slots: [Slot]
    private var arena: [UInt8] = []
    private(set) var count = 0
    private let limit: Int

    /// 16 bytes: a store row id fits in 32 bits (larger ones are not cached).
    private struct Slot {
        var hash: UInt32 = 0
        var offset: Int32 = -1   // -1: empty
        var length: UInt16 = 0
        var value: Int32 = 0
    }

    init(limit: Int = 1 << 19) {
        self.limit = limit
        slots = Array(repeating: Slot(), count: 64)
    }

    /// FNV-1a, 32 bits: short keys; a collision costs only a byte comparison.
    @inline(__always) private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
        return hash
    }

    func value(for key: UnsafeBufferPointer<UInt8>) -> Int64? {
        let hash = ByteInterner.hash(key)
        let mask = slots.count - 1
        var index = Int(hash) & mask
        while true {
            let slot = slots[index]
            if slot.offset < 0 { return nil }
            if slot.hash == hash, Int(slot.length) == key.count, equal(slot, key) { return Int64(slot.value) }
            index = (index + 1) & mask
        }
    }

    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, value: Int64) {
        guard let compact = Int32(exactly: value), key.count <= Int(UInt16.max) else { return }
        if count >= limit { removeAll() }
        // Grows with use (at most half full), so a small ingest stays small.
        if (count + 1) * 2 > slots.count { grow() }
        let hash = ByteInterner.hash(key)
        let mask = slots.count - 1
        var index = Int(hash) & mask
        while slots[index].offset >= 0 { index = (index + 1) & mask }
        slots[index] = Slot(hash: hash, offset: Int32(arena.count), length: UInt16(key.count), value: compact)
        arena.append(contentsOf: key)
        count += 1
    }

    mutating func removeAll() {
        for index in slots.indices { slots[index].offset = -1 }
        arena.removeAll(keepingCapacity: true)
        count = 0
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(), count: old.count * 2)
        let mask = slots.count - 1
        for slot in old where slot.offset >= 0 {
            var index = Int(slot.hash) & mask
            while slots[index].offset >= 0 { index = (index + 1) & mask }
            slots[index] = slot
        }
    }

    private func equal(_ slot: Slot, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        arena.withUnsafeBufferPointer { stored in
            let start = Int(slot.offset)
            for index in 0..<key.count where stored[start + index] != key[index] { return false }
            return true
        }
    }
}
