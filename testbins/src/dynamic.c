/* Dynamically linked program: needs PT_INTERP (ld-linux-aarch64.so.1 found
 * under the -L sysroot), relocation processing by the dynamic loader, PLT
 * calls into libc.so, a callback from libc.so back into the program, and TLS
 * (errno) in a shared library. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

static int failures;
static void check(const char *label, int ok)
{
    printf("%-36s %s\n", label, ok ? "ok" : "FAILED");
    if (!ok) failures++;
}

static int cmp_desc(const void *a, const void *b)
{
    return *(const int *)b - *(const int *)a;
}

int main(void)
{
    printf("Hello from a dynamically linked program!\n");
    check("AT_BASE (interpreter) is set", getauxval(AT_BASE) != 0);
    check("AT_ENTRY differs from AT_BASE", getauxval(AT_ENTRY) != getauxval(AT_BASE));

    int v[100];
    for (int i = 0; i < 100; i++) v[i] = (i * 37) % 100;
    qsort(v, 100, sizeof v[0], cmp_desc);
    int ok = 1;
    for (int i = 0; i < 100; i++) ok &= v[i] == 99 - i;
    check("qsort in libc.so calls back", ok);

    errno = 0;
    check("close(-1) fails", close(-1) == -1);
    check("errno (TLS in libc.so) is EBADF", errno == EBADF);
    check("strerror(ENOENT)", strcmp(strerror(ENOENT), "No such file or directory") == 0);

    char *p = malloc(1 << 20);
    check("malloc from libc.so", p != NULL);
    memset(p, 1, 1 << 20);
    free(p);
    char buf[64];
    snprintf(buf, sizeof buf, "%d-%s-%x", 42, "dyn", 255);
    check("snprintf", strcmp(buf, "42-dyn-ff") == 0);

    printf("dynamic: %s\n", failures ? "FAILED" : "all checks passed");
    return failures ? 1 : 0;
}
