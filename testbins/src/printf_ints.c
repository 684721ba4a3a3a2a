/* printf integer formatting: every conversion, length modifier, flag, width
 * and precision combination we care about, at the type limits. Each result
 * is compared with the literal the C standard requires and also printed, so
 * the stdout comparison covers the real printf path as well as snprintf. */
#include <limits.h>
#include <stddef.h>
#include <sys/types.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <inttypes.h>

static int failures, count;

#define T(want, ...)                                                        \
    do {                                                                    \
        char got_[128];                                                     \
        int n_ = snprintf(got_, sizeof got_, __VA_ARGS__);                  \
        int ok_ = strcmp(got_, want) == 0 && n_ == (int)strlen(want);       \
        count++;                                                            \
        printf("%-28s [%s]%s\n", #__VA_ARGS__, got_, ok_ ? "" : " MISMATCH"); \
        if (!ok_) { failures++; printf("    expected [%s]\n", want); }      \
    } while (0)

/* volatile so the compiler cannot fold the formatting at build time */
static volatile int v_int_min = INT_MIN, v_int_max = INT_MAX, v_neg1 = -1, v_zero = 0, v_42 = 42;
static volatile long v_long_min = LONG_MIN, v_long_max = LONG_MAX;
static volatile long long v_ll_min = LLONG_MIN;
static volatile unsigned long long v_ull_max = ULLONG_MAX;
static volatile unsigned v_uint_max = UINT_MAX;
static volatile int v_300 = 300, v_m129 = -129;

int main(void)
{
    T("0", "%d", v_zero);
    T("42", "%d", v_42);
    T("-1", "%d", v_neg1);
    T("-2147483648", "%d", v_int_min);
    T("2147483647", "%i", v_int_max);
    T("4294967295", "%u", v_uint_max);
    T("4294967295", "%u", v_neg1);
    T("ffffffff", "%x", v_neg1);
    T("FFFFFFFF", "%X", v_neg1);
    T("37777777777", "%o", v_neg1);
    T("80000000", "%x", v_int_min);
    T("-9223372036854775808", "%ld", v_long_min);
    T("9223372036854775807", "%ld", v_long_max);
    T("-9223372036854775808", "%lld", v_ll_min);
    T("18446744073709551615", "%llu", v_ull_max);
    T("ffffffffffffffff", "%llx", v_ull_max);
    T("1777777777777777777777", "%llo", v_ull_max);
    T("8000000000000000", "%lx", v_long_min);
    T("44", "%hhd", v_300);
    T("127", "%hhd", v_m129);
    T("44", "%hhu", v_300);
    T("-1", "%hd", v_neg1);
    T("65535", "%hu", v_neg1);
    T("ffff", "%hx", v_neg1);
    T("-1", "%jd", (intmax_t)v_neg1);
    T("18446744073709551615", "%zu", (size_t)v_neg1);
    T("-1", "%zd", (ssize_t)v_neg1);
    T("-1", "%td", (ptrdiff_t)v_neg1);
    T("   42", "%5d", v_42);
    T("42   ", "%-5d", v_42);
    T("00042", "%05d", v_42);
    T("-0042", "%05d", -v_42);
    T("  +42", "%+5d", v_42);
    T(" 42", "% d", v_42);
    T("+0", "%+d", v_zero);
    T("  042", "%5.3d", v_42);
    T("", "%.0d", v_zero);
    T("     ", "%5.0d", v_zero);
    T("0x2a", "%#x", v_42);
    T("0X2A", "%#X", v_42);
    T("052", "%#o", v_42);
    T("0", "%#x", v_zero);
    T("0", "%#o", v_zero);
    T("0x0000002a", "%#010x", v_42);
    T("      0x2a", "%#10x", v_42);
    T("42", "%*d", 1, v_42);
    T("      42", "%*d", 8, v_42);
    T("42      ", "%*d", -8, v_42);
    T("00042", "%.*d", 5, v_42);
    T("-2147483648", "%.10d", v_int_min);
    T("-02147483648", "%.11d", v_int_min);
    T("%", "%%");
    T("a42b-1c", "a%db%dc", v_42, v_neg1);
    T("12345678901234567890", "%" PRIu64, (uint64_t)12345678901234567890ull);
    T("-123456789012", "%" PRId64, (int64_t)-123456789012ll);
    T("deadbeefcafe", "%" PRIx64, (uint64_t)0xdeadbeefcafeull);
    T("x", "%c", 'x');
    T("[  abc]", "[%5s]", "abc");
    T("[ab]", "[%.2s]", "abc");

    /* direct printf of a run of values, then the return value of printf */
    long long acc = 1;
    for (int i = 0; i < 20; i++) {
        printf("%2d: %20lld %016llx %22llo\n", i, acc, (unsigned long long)acc, (unsigned long long)acc);
        acc = acc * -7 + 3;
    }
    int n = printf("%s %d\n", "return-value", 12345);
    T("19", "%d", n);

    printf("printf_ints: %d checks, %s\n", count, failures ? "FAILED" : "all passed");
    return failures ? 1 : 0;
}
