// A full disk, on demand: an LD_PRELOAD library that makes the N-th call that takes space on one
// filesystem fail with ENOSPC, and every such call after it, in every process that carries it
// (retrain, its run supervisors, their trainers), as a disk that has filled up does.
//
//   RETRAIN_ENOSPC_COUNTER  a file of at least 4096 bytes, shared by every process: the count of
//                           calls so far (8 bytes), then the first call refused, as text.
//   RETRAIN_ENOSPC_AFTER    N: calls 0 to N-1 succeed, the rest fail. Unset: count only.
//   RETRAIN_ENOSPC_ROOT     a folder on the filesystem that is full (the scratch repository).
//   RETRAIN_ENOSPC_TRACE    optional: a file that gets one line per call counted (for finding
//                           which write a failure follows).
//
// Calls that take space: write, pwrite, writev, fsync and fdatasync on a regular file of that
// filesystem; open with O_CREAT, mkdir, rename, link and symlink of a name that does not exist yet
// in a folder of it. Writes to pipes,
// terminals and other filesystems pass, as they do when one disk is full.
//
// Built by Tests/Chaos/chaos.py with `cc -shared -fPIC -o enospc.so enospc.c -ldl`.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static volatile uint64_t *counter;  // shared across processes
static char *first_refused;         // the description of call number AFTER
static uint64_t after = UINT64_MAX;
static dev_t device;
static int active;
static int trace = -1;

__attribute__((constructor)) static void start(void) {
    const char *path = getenv("RETRAIN_ENOSPC_COUNTER"), *root = getenv("RETRAIN_ENOSPC_ROOT");
    struct stat st;
    if (!path || !root || stat(root, &st) != 0) return;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) return;
    void *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (shared == MAP_FAILED) return;
    counter = shared;
    first_refused = (char *)shared + 8;
    const char *n = getenv("RETRAIN_ENOSPC_AFTER");
    if (n && *n) after = strtoull(n, NULL, 10);
    const char *t = getenv("RETRAIN_ENOSPC_TRACE");
    if (t && *t) trace = (int)syscall(SYS_open, t, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    device = st.st_dev;
    active = 1;
}

static const char *fd_name(int fd, char *buffer, size_t size) {
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, buffer, size - 1);
    buffer[n > 0 ? n : 0] = 0;
    return buffer;
}

// Counts one call that takes space, on `path` or else file descriptor `fd`; 1 when it must fail.
// The name is looked up only when it is written down (the trace, the first call refused).
static int refuse(const char *call, const char *path, int fd) {
    uint64_t number = __atomic_fetch_add(counter, 1, __ATOMIC_SEQ_CST);
    char name[4096];
    if ((trace >= 0 || number == after) && !path) path = fd_name(fd, name, sizeof name);
    if (trace >= 0) {
        char line[4200];
        int n = snprintf(line, sizeof line, "%llu %s %s (pid %d)\n", (unsigned long long)number, call, path, getpid());
        syscall(SYS_write, trace, line, n < (int)sizeof line ? n : (int)sizeof line - 1);
    }
    if (number < after) return 0;
    if (number == after) snprintf(first_refused, 4000, "%s %s (pid %d)", call, path, getpid());
    errno = ENOSPC;
    return 1;
}

static int on_disk_fd(int fd) {
    struct stat st;
    return active && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_dev == device;
}

// Whether creating `path` takes space on the full filesystem: it does not exist yet, and its folder
// is there. (Creating what exists fails with EEXIST or reuses the entry, as on a real full disk.)
static int on_disk_path(int dirfd, const char *path) {
    if (!active) return 0;
    struct stat st;
    if (fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0) return 0;
    char folder[4096];
    snprintf(folder, sizeof folder, "%s", path);
    char *slash = strrchr(folder, '/');
    if (slash == folder) folder[1] = 0;
    else if (slash) *slash = 0;
    else snprintf(folder, sizeof folder, ".");
    return fstatat(dirfd, folder, &st, 0) == 0 && st.st_dev == device;
}

#define REAL(name) static __typeof__(name) *real; if (!real) real = dlsym(RTLD_NEXT, #name)
#define FD_CALL(name, fd) \
    do { if (on_disk_fd(fd) && refuse(#name, NULL, fd)) return -1; } while (0)
#define PATH_CALL(name, dirfd, path) \
    do { if (on_disk_path(dirfd, path) && refuse(#name, path, -1)) return -1; } while (0)

ssize_t write(int fd, const void *buf, size_t n) {
    REAL(write);
    if (n) FD_CALL(write, fd);
    return real(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t offset) {
    REAL(pwrite);
    if (n) FD_CALL(pwrite, fd);
    return real(fd, buf, n, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t offset) {
    REAL(pwrite64);
    if (n) FD_CALL(pwrite64, fd);
    return real(fd, buf, n, offset);
}

ssize_t writev(int fd, const struct iovec *iov, int count) {
    REAL(writev);
    FD_CALL(writev, fd);
    return real(fd, iov, count);
}

int fsync(int fd) {
    REAL(fsync);
    FD_CALL(fsync, fd);
    return real(fd);
}

int fdatasync(int fd) {
    REAL(fdatasync);
    FD_CALL(fdatasync, fd);
    return real(fd);
}

static int creating(int flags) { return (flags & O_CREAT) != 0; }

int open(const char *path, int flags, ...) {
    REAL(open);
    va_list list; va_start(list, flags); mode_t mode = va_arg(list, mode_t); va_end(list);
    if (creating(flags)) PATH_CALL(open, AT_FDCWD, path);
    return real(path, flags, mode);
}

int open64(const char *path, int flags, ...) {
    REAL(open64);
    va_list list; va_start(list, flags); mode_t mode = va_arg(list, mode_t); va_end(list);
    if (creating(flags)) PATH_CALL(open64, AT_FDCWD, path);
    return real(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...) {
    REAL(openat);
    va_list list; va_start(list, flags); mode_t mode = va_arg(list, mode_t); va_end(list);
    if (creating(flags)) PATH_CALL(openat, dirfd, path);
    return real(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...) {
    REAL(openat64);
    va_list list; va_start(list, flags); mode_t mode = va_arg(list, mode_t); va_end(list);
    if (creating(flags)) PATH_CALL(openat64, dirfd, path);
    return real(dirfd, path, flags, mode);
}

int creat(const char *path, mode_t mode) {
    REAL(creat);
    PATH_CALL(creat, AT_FDCWD, path);
    return real(path, mode);
}

int mkdir(const char *path, mode_t mode) {
    REAL(mkdir);
    PATH_CALL(mkdir, AT_FDCWD, path);
    return real(path, mode);
}

int mkdirat(int dirfd, const char *path, mode_t mode) {
    REAL(mkdirat);
    PATH_CALL(mkdirat, dirfd, path);
    return real(dirfd, path, mode);
}

int rename(const char *from, const char *to) {
    REAL(rename);
    PATH_CALL(rename, AT_FDCWD, to);
    return real(from, to);
}

int renameat(int fromfd, const char *from, int tofd, const char *to) {
    REAL(renameat);
    PATH_CALL(renameat, tofd, to);
    return real(fromfd, from, tofd, to);
}

int link(const char *from, const char *to) {
    REAL(link);
    PATH_CALL(link, AT_FDCWD, to);
    return real(from, to);
}

int symlink(const char *target, const char *path) {
    REAL(symlink);
    PATH_CALL(symlink, AT_FDCWD, path);
    return real(target, path);
}
