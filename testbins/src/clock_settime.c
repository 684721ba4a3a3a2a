/* clock_settime exists (not ENOSYS) and checks its arguments as Linux does, whatever the privileges:
 * a clock that cannot be set, an unknown clock, a nanosecond count out of range. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void report(const char *label, int r)
{
    printf("%-36s %d %s\n", label, r, r < 0 ? strerror(errno) : "-");
}

int main(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    errno = 0;
    report("CLOCK_MONOTONIC", clock_settime(CLOCK_MONOTONIC, &now));
    errno = 0;
    report("unknown clock 1234", clock_settime(1234, &now));
    errno = 0;
    struct timespec bad = { now.tv_sec, 1000000000 };
    report("CLOCK_MONOTONIC, tv_nsec 1e9", clock_settime(CLOCK_MONOTONIC, &bad));
    return 0;
}
