/* Credentials and AT_SECURE as the guest sees them. Without arguments it checks that they agree (the
 * kernel sets AT_SECURE when the real and effective ids differ) and prints one fixed line; with "-v" it
 * prints the values, for tests/Emu.Tests/Binfmt (binfmt_misc flag C runs a setuid program with the
 * program's credentials). */
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    unsigned long secure = getauxval(AT_SECURE);
    uid_t uid = getuid(), euid = geteuid();
    gid_t gid = getgid(), egid = getegid();
    if (argc > 1 && strcmp(argv[1], "-v") == 0) {
        printf("secure=%lu uid=%u euid=%u gid=%u egid=%u\n", secure, (unsigned)uid, (unsigned)euid, (unsigned)gid, (unsigned)egid);
        return 0;
    }
    int ids_differ = uid != euid || gid != egid;
    if (ids_differ && !secure) {
        printf("FAIL: ids differ but AT_SECURE is 0\n");
        return 1;
    }
    printf("credentials consistent with AT_SECURE\n");
    return 0;
}
