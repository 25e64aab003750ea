// What Swift cannot call itself: prctl is variadic in C, and Swift imports no variadic function.
#ifdef __linux__
#include <sys/prctl.h>

/// Makes the calling process a child subreaper: descendants orphaned by their parent (a daemon that
/// forked and called setsid) are re-parented to it instead of to init. 0 on success.
static inline int retrain_become_subreaper(void) {
    return prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0UL, 0UL, 0UL);
}
#endif
