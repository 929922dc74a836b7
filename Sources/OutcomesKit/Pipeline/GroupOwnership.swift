import Foundation

/// Gives the files of a run to the group a pipeline names
/// (`permissions.group`), so that its members can read the store and the
/// reports (the umask already made them 0640).
struct GroupOwnership {
    let gid: gid_t
    let name: String

    /// Resolves the group, or explains why it cannot be used.
    init(name: String) throws {
        guard let entry = getgrnam(name) else {
            throw PipelineError("permissions.group: there is no group \"\(name)\" on this machine")
        }
        self.name = name
        gid = entry.pointee.gr_gid
    }

    /// Changes the group of each existing path, and of everything under the folders.
    func apply(to paths: [String]) throws {
        for path in paths where FileManager.default.fileExists(atPath: path) {
            try change(path)
            if let enumerator = FileManager.default.enumerator(atPath: path) {
                while let relative = enumerator.nextObject() as? String {
                    try change((path as NSString).appendingPathComponent(relative))
                }
            }
        }
    }

    private func change(_ path: String) throws {
        guard chown(path, uid_t.max, gid) == 0 else {
            throw OutputError("\(path): cannot give it to group \(name) (\(String(cString: strerror(errno)))); is the user a member?")
        }
    }
}
