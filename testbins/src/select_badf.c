/* select on fd numbers that are not open fails with EBADF (a closed number, alone or next to
 * an open one); open ones in the same set work. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

static void try_select(const char *label, int fd, int maxfd)
{
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(fd, &readable);
    struct timeval zero = { 0, 0 };
    errno = 0;
    int r = select(maxfd + 1, &readable, NULL, NULL, &zero);
    printf("%-32s result %d errno %s\n", label, r, r < 0 ? strerror(errno) : "-");
}

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0) return 1;
    if (write(fds[1], "x", 1) != 1) return 1;
    try_select("pipe with data", fds[0], fds[0]);
    int fd = open("/", O_RDONLY);
    close(fd);
    try_select("closed fd", fd, fd);
    /* A closed number below an open one in the same set. */
    fd_set both;
    FD_ZERO(&both);
    FD_SET(fds[0], &both);
    FD_SET(fd, &both);
    struct timeval zero = { 0, 0 };
    errno = 0;
    int r = select((fd > fds[0] ? fd : fds[0]) + 1, NULL, &both, NULL, &zero);
    printf("%-32s result %d errno %s\n", "closed fd in the write set", r, r < 0 ? strerror(errno) : "-");
    /* Bits beyond nfds are not looked at. */
    try_select("closed fd beyond nfds", fd, 0);
    return 0;
}
