#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files the tool creates (the store, reports, locks) are readable by their
/// owner only (0600; folders 0700), or also by a group a pipeline names
/// (0640; folders 0750). Set once per process through the umask, so every
/// file is created with the right mode rather than fixed afterwards; the
/// pipeline runner then gives the files to the group.
enum FilePermissions {
    static func apply(group: String?) {
        umask(group == nil ? 0o077 : 0o027)
    }
}
