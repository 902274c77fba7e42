/* LintSeq fork server: preloaded (LD_PRELOAD) into a compiler, it stops the compiler where it
 * opens the program state and forks one child per request from that point on, so the work done
 * before (starting the process, loading its libraries, reading precompiled headers) is done once.
 * Built at first use by lintseq_hf.lint.compilers.forkserver (docs/languages.md).
 *
 * Environment: LINTSEQ_FORKSERVER_FILE, the base name of the file to stop at;
 * LINTSEQ_FORKSERVER_FDS, "<request fd>,<reply fd>"; LINTSEQ_FORKSERVER_OUTPUT, the file each
 * child's stderr goes to; LINTSEQ_FORKSERVER_TIMEOUT, seconds a child may run.
 * Protocol: one byte on the request fd starts a child; when it has ended, its wait status
 * (a native int) is written to the reply fd. End of input on the request fd ends the server.
 *
 * LINTSEQ_REFUSE_PIPES (set alone, without the fork server, for rustc too): an open of a FIFO or
 * a socket fails with ENXIO, before anything blocks. A state may name any path ("/proc/self/fd/3"
 * in an #include or include_bytes!): the compiler's own pipes (rustc's jobserver) would open and
 * block it until the timeout, reading a pipe it holds the write end of. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int serving = 0;

static void serve(void) {
    const char *fds = getenv("LINTSEQ_FORKSERVER_FDS");
    const char *output = getenv("LINTSEQ_FORKSERVER_OUTPUT");
    const char *timeout = getenv("LINTSEQ_FORKSERVER_TIMEOUT");
    const char *comma = fds ? strchr(fds, ',') : NULL;
    if (comma == NULL || output == NULL) return;
    int request = atoi(fds), reply = atoi(comma + 1);
    serving = 1;
    for (;;) {
        char byte;
        if (read(request, &byte, 1) != 1) _exit(0);
        pid_t child = fork();
        if (child == 0) {
            close(request);
            close(reply);
            int fd = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (fd < 0) _exit(125);
            dup2(fd, 2);
            close(fd);
            alarm(timeout ? (unsigned)atoi(timeout) : 60);
            return; /* the child goes on compiling: the open below reads the new state */
        }
        int status = -1;
        if (child > 0) {
            while (waitpid(child, &status, 0) < 0) {}
        }
        if (write(reply, &status, sizeof status) != (ssize_t)sizeof status) _exit(0);
    }
}

static void check(const char *path) {
    const char *wanted = getenv("LINTSEQ_FORKSERVER_FILE");
    if (serving || wanted == NULL || path == NULL) return;
    const char *base = strrchr(path, '/');
    if (strcmp(base ? base + 1 : path, wanted) == 0) serve();
}

/* 1: the path (followed) is a FIFO or a socket and LINTSEQ_REFUSE_PIPES is set; errno is then ENXIO */
static int refused(int dir, const char *path) {
    static int refuse = -1;
    struct stat st;
    if (refuse < 0) refuse = getenv("LINTSEQ_REFUSE_PIPES") != NULL;
    if (!refuse || path == NULL || fstatat(dir, path, &st, 0) != 0) return 0;
    if (!S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode)) return 0;
    errno = ENXIO;
    return 1;
}

typedef int (*open_fn)(const char *, int, ...);
typedef int (*openat_fn)(int, const char *, int, ...);

#define OPEN_WRAPPER(name)                                                   \
    int name(const char *path, int flags, ...) {                             \
        va_list ap;                                                          \
        va_start(ap, flags);                                                 \
        mode_t mode = va_arg(ap, int);                                       \
        va_end(ap);                                                          \
        check(path);                                                         \
        if (refused(AT_FDCWD, path)) return -1;                              \
        return ((open_fn)dlsym(RTLD_NEXT, #name))(path, flags, mode);        \
    }
#define OPENAT_WRAPPER(name)                                                 \
    int name(int dir, const char *path, int flags, ...) {                    \
        va_list ap;                                                          \
        va_start(ap, flags);                                                 \
        mode_t mode = va_arg(ap, int);                                       \
        va_end(ap);                                                          \
        check(path);                                                         \
        if (refused(dir, path)) return -1;                                   \
        return ((openat_fn)dlsym(RTLD_NEXT, #name))(dir, path, flags, mode); \
    }

OPEN_WRAPPER(open)
OPEN_WRAPPER(open64)
OPENAT_WRAPPER(openat)
OPENAT_WRAPPER(openat64)
