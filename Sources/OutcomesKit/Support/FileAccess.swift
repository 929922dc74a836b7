import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who may read what the tool creates (the store, its lock, report folders
/// and files): the owner only (files 0600, folders 0700), or the owner and
/// one group a pipeline names (`permissions.group`: 0640 and 0750, owned by
/// that group). Modes are set explicitly on every file and folder created,
/// whatever the process's umask.
public struct FileAccess: Sendable, Equatable {
    /// The group that may read, if any.
    public let group: Group?

    public struct Group: Sendable, Equatable {
        public let name: String
        public let id: gid_t
    }

    /// Owner only.
    public static let ownerOnly = FileAccess(group: nil)

    public init(group: Group?) { self.group = group }

    /// Owner and the group `name`, which must exist and have the user as a
    /// member (or the user is root), checked before anything is written.
    public init(groupNamed name: String) throws(FileAccessError) {
        guard let entry = getgrnam(name) else { throw FileAccessError.noSuchGroup(name) }
        let id = entry.pointee.gr_gid
        guard FileAccess.userBelongs(to: id) else { throw FileAccessError.notAMember(name) }
        group = Group(name: name, id: id)
    }

    public var fileMode: mode_t { group == nil ? 0o600 : 0o640 }
    public var folderMode: mode_t { group == nil ? 0o700 : 0o750 }

    /// Creates `path` and any missing parent folders with the folder mode
    /// (and group). Folders that exist are left as they are.
    public func createFolder(_ path: String) throws(FileAccessError) {
        var missing: [String] = []
        var current = path
        while !current.isEmpty, current != "/", current != ".", !FileAccess.exists(current) {
            missing.append(current)
            let parent = FilePath.parent(of: current)
            if parent == current { break }
            current = parent
        }
        for folder in missing.reversed() {
            if mkdir(folder, folderMode) != 0, errno != EEXIST {
                throw FileAccessError.cannotCreate(folder, String(cString: strerror(errno)))
            }
            try apply(to: folder, mode: folderMode)
        }
    }

    /// Gives an existing folder this access's mode and group.
    public func secureFolder(_ path: String) throws(FileAccessError) {
        try apply(to: path, mode: folderMode)
    }

    /// Gives an existing file this access's mode and group.
    public func secureFile(_ path: String) throws(FileAccessError) {
        try apply(to: path, mode: fileMode)
    }

    /// Gives an open file this access's mode and group.
    public func secure(descriptor: Int32, path: String) throws(FileAccessError) {
        guard fchmod(descriptor, fileMode) == 0 else { throw FileAccessError.cannotSetMode(path, String(cString: strerror(errno))) }
        if let group, fchown(descriptor, uid_t.max, group.id) != 0 {
            throw FileAccessError.cannotGiveToGroup(path, group.name, String(cString: strerror(errno)))
        }
    }

    private func apply(to path: String, mode: mode_t) throws(FileAccessError) {
        guard chmod(path, mode) == 0 else { throw FileAccessError.cannotSetMode(path, String(cString: strerror(errno))) }
        if let group, chown(path, uid_t.max, group.id) != 0 {
            throw FileAccessError.cannotGiveToGroup(path, group.name, String(cString: strerror(errno)))
        }
    }

    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    private static func userBelongs(to group: gid_t) -> Bool {
        if geteuid() == 0 || getegid() == group { return true }
        let count = getgroups(0, nil)
        guard count > 0 else { return false }
        var groups = [gid_t](repeating: 0, count: Int(count))
        let filled = getgroups(count, &groups)
        return filled > 0 && groups.prefix(Int(filled)).contains(group)
    }
}

/// A folder or file the tool could not create or secure: a problem of the
/// machine it runs on, not of the data.
public enum FileAccessError: Error, Equatable, Sendable, CustomStringConvertible {
    case noSuchGroup(String)
    case notAMember(String)
    case cannotCreate(String, String)
    case cannotSetMode(String, String)
    case cannotGiveToGroup(String, String, String)

    public var description: String {
        switch self {
        case .noSuchGroup(let name): return "permissions.group: there is no group \"\(name)\" on this machine"
        case .notAMember(let name): return "permissions.group: this user is not a member of group \"\(name)\", so cannot give files to it"
        case .cannotCreate(let path, let why): return "\(path): cannot create the folder (\(why))"
        case .cannotSetMode(let path, let why): return "\(path): cannot set its permissions (\(why))"
        case .cannotGiveToGroup(let path, let group, let why): return "\(path): cannot give it to group \(group) (\(why))"
        }
    }
}
