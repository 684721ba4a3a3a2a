/* Process start-up state: argc/argv, envp and the auxiliary vector.
 * The conformance harness passes the arguments from expected/args_env.args
 * and the variables from expected/args_env.env. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;

static int failures;
static void check(const char *label, int ok)
{
    printf("%-40s %s\n", label, ok ? "ok" : "FAILED");
    if (!ok) failures++;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

int main(int argc, char **argv, char **envp)
{
    printf("argc = %d\n", argc);
    /* argv[0] is whatever path the runner used: print only its last component */
    printf("argv[0] basename = %s\n", base_name(argv[0]));
    for (int i = 1; i < argc; i++) printf("argv[%d] = [%s] (%zu bytes)\n", i, argv[i], strlen(argv[i]));
    check("argv[argc] == NULL", argv[argc] == NULL);
    check("envp follows argv", envp == argv + argc + 1);
    check("environ == envp", environ == envp);

    const char *v = getenv("EMU_TEST_GREETING");
    printf("EMU_TEST_GREETING = [%s]\n", v ? v : "(unset)");
    check("getenv EMU_TEST_GREETING", v && strcmp(v, "hello world") == 0);
    v = getenv("EMU_TEST_EMPTY");
    check("getenv EMU_TEST_EMPTY is empty string", v && *v == 0);
    check("getenv of unset variable is NULL", getenv("EMU_TEST_SURELY_NOT_SET_12345") == NULL);

    unsigned long pagesz = getauxval(AT_PAGESZ);
    printf("AT_PAGESZ = %lu\n", pagesz);
    check("AT_PAGESZ == sysconf(_SC_PAGESIZE)", pagesz == (unsigned long)sysconf(_SC_PAGESIZE));
    check("AT_PAGESZ is 4096", pagesz == 4096);

    const char *platform = (const char *)getauxval(AT_PLATFORM);
    printf("AT_PLATFORM = %s\n", platform ? platform : "(null)");
    check("AT_PLATFORM is aarch64", platform && strcmp(platform, "aarch64") == 0);

    const uint8_t *rnd = (const uint8_t *)getauxval(AT_RANDOM);
    int nonzero = 0;
    if (rnd) for (int i = 0; i < 16; i++) nonzero |= rnd[i];
    check("AT_RANDOM points at 16 bytes, not all 0", rnd && nonzero);

    unsigned long hwcap = getauxval(AT_HWCAP);
    /* FP (bit 0) and ASIMD (bit 1) are architecturally required on Linux/arm64 */
    check("AT_HWCAP has FP and ASIMD", (hwcap & 3) == 3);

    check("AT_UID == getuid()", getauxval(AT_UID) == getuid());
    check("AT_EGID == getegid()", getauxval(AT_EGID) == getegid());
    check("AT_SECURE == 0", getauxval(AT_SECURE) == 0);
    check("AT_PHDR is set", getauxval(AT_PHDR) != 0);
    check("AT_PHENT == 56 (Elf64_Phdr)", getauxval(AT_PHENT) == 56);
    check("AT_ENTRY is set", getauxval(AT_ENTRY) != 0);
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    printf("AT_EXECFN basename = %s\n", execfn ? base_name(execfn) : "(null)");

    printf("args_env: %s\n", failures ? "FAILED" : "all checks passed");
    return failures ? 1 : 0;
}
