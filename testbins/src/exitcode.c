/* The exit status of main's return value must reach the parent unchanged. */
#include <stdio.h>

int main(void)
{
    puts("exiting with status 42");
    return 42;
}
