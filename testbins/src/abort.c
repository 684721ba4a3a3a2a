/* A guest killed by a signal: abort() raises SIGABRT with the default action,
 * so the runner must itself die the same way (shell status 128 + 6 = 134).
 * Output written before the abort must reach stdout. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("about to abort\n");
    fflush(stdout);
    abort();
}
