/* Smallest libc program: one line on stdout, exit status 0. */
#include <stdio.h>

int main(void)
{
    puts("Hello from emu-aarch64!");
    return 0;
}
