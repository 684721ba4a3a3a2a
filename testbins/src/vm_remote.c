// process_vm_readv/writev on another process: a fork child (argument "fork"), or (argument "exec") a child
// that exec'd this program again, which under a translator is a new translator with its own guest space.
// qemu-user 7.2 has no process_vm_readv (ENOSYS), so the checks run from tests/Emu.Tests (ProcessVmTests)
// with Linux's expected results; without arguments the program only says how to use it.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile unsigned long long value = 0x1111111111111111ULL;

// The child: publishes a value, waits for the parent's write, reports what it then holds.
static void target(int ready_fd, int go_fd)
{
    value = 0xc0ffee0000c0ffeeULL;
    if (write(ready_fd, "r", 1) != 1) _exit(2);
    char c;
    if (read(go_fd, &c, 1) != 1) _exit(3);
    printf("child sees %llx\n", value);
    fflush(stdout);
    _exit(0);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "target") == 0) target(atoi(argv[2]), atoi(argv[3]));
    if (argc != 2 || (strcmp(argv[1], "fork") != 0 && strcmp(argv[1], "exec") != 0))
    {
        printf("usage: vm_remote fork|exec\n");
        return 0;
    }
    int ready[2], go[2];
    if (pipe(ready) || pipe(go)) return 1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
    {
        if (strcmp(argv[1], "exec") == 0)
        {
            char r[16], g[16];
            snprintf(r, sizeof r, "%d", ready[1]);
            snprintf(g, sizeof g, "%d", go[0]);
            execl("/proc/self/exe", argv[0], "target", r, g, (char *)NULL);
            _exit(4);
        }
        target(ready[1], go[0]);
    }
    char c;
    if (read(ready[0], &c, 1) != 1) return 1;
    unsigned long long got = 0;
    struct iovec local = {&got, sizeof got}, remote = {(void *)&value, sizeof value};
    ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
    printf("read %zd: %llx (own %llx)\n", n, got, value);
    unsigned long long put = 0x5eed5eed5eed5eedULL;
    local.iov_base = &put;
    n = process_vm_writev(pid, &local, 1, &remote, 1, 0);
    printf("write %zd\n", n);
    // An address nothing is mapped at in the child: EFAULT, as for any process.
    remote.iov_base = (void *)0x10;
    n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
    printf("unmapped: %zd %s\n", n, n < 0 && errno == EFAULT ? "EFAULT" : "?");
    fflush(stdout);
    if (write(go[1], "g", 1) != 1) return 1;
    int status;
    waitpid(pid, &status, 0);
    printf("child exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}
