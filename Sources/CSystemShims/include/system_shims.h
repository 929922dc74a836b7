#ifndef OUTCOMES_SYSTEM_SHIMS_H
#define OUTCOMES_SYSTEM_SHIMS_H

/// Atomically exchanges two existing paths (Linux renameat2 with
/// RENAME_EXCHANGE), so a report folder is replaced in one step: readers see
/// the old folder or the new one, never neither. Returns 0, or -1 with errno
/// set (ENOSYS/EINVAL where the kernel or file system lacks it).
int outcomes_exchange_paths(const char *first, const char *second);

#endif
