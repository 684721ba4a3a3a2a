/*
 * artifacts/bin/emu-aarch64 (scripts/build): starts the .NET translator beside it, emu-aarch64-host,
 * with the guest's fd numbers already reserved (launcher_common.h). Without it the translator reserves
 * them itself by re-executing once, which starts the .NET runtime twice. Also what binfmt_misc runs when
 * artifacts/bin/emu-aarch64 is registered: its auxiliary vector goes on as arguments and variables.
 */
#include "launcher_common.h"

#define HOST_SUFFIX "-host"

int main(int argc, char **argv)
{
    /* Beside our own file, whatever name or symbolic link started us. */
    char translator[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", translator, sizeof translator - sizeof HOST_SUFFIX);
    if (len <= 0) {
        /* No /proc: the .NET host could not find itself either, but it says so better. */
        if (argv[0] == NULL || strchr(argv[0], '/') == NULL) die("cannot find the translator: /proc/self/exe: %s", strerror(errno));
        len = (ssize_t)strlen(argv[0]);
        if ((size_t)len >= sizeof translator - sizeof HOST_SUFFIX) die("%s: path too long", argv[0]);
        memcpy(translator, argv[0], (size_t)len);
    }
    memcpy(translator + len, HOST_SUFFIX, sizeof HOST_SUFFIX);
    exec_translator(translator, translator_args(argc, argv));
}
