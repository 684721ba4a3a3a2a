/* glibc's string and memory routines (hand-written AArch64 assembly using
 * LDP/STP, SIMD registers, unaligned and page-crossing accesses) checked
 * against simple byte-at-a-time reference loops over every small length and
 * alignment combination. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF 4096

static unsigned char src[BUF], dst[BUF], ref[BUF];
static int failures;
static long checks;

static void fail(const char *what, size_t a, size_t b, size_t n)
{
    if (failures++ < 10) printf("FAILED %s (offsets %zu/%zu, length %zu)\n", what, a, b, n);
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (unsigned char)(seed >> 16) | 1;   /* never 0 */
    }
}

static int ref_cmp(const unsigned char *a, const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
}

/* volatile: keeps the compiler from evaluating these calls at build time */
static const char *volatile world = "world!!!";

static int sign(int x) { return (x > 0) - (x < 0); }

static void test_memcpy_memset(void)
{
    for (size_t sa = 0; sa < 16; sa++)
        for (size_t da = 0; da < 16; da++)
            for (size_t n = 0; n < 300; n += (n < 70 ? 1 : 13)) {
                fill(src, BUF, (unsigned)(sa * 131 + da * 7 + n));
                memset(dst, 0xEE, 512);
                memcpy(ref, dst, 512);
                for (size_t i = 0; i < n; i++) ref[da + i] = src[sa + i];
                memcpy(dst + da, src + sa, n);
                checks++;
                if (memcmp(dst, ref, 512) != 0 || ref_cmp(dst, ref, 512) != 0) fail("memcpy", sa, da, n);

                memset(dst + da, (int)(n & 0xff), n);
                for (size_t i = 0; i < n; i++) ref[da + i] = (unsigned char)n;
                checks++;
                if (ref_cmp(dst, ref, 512) != 0) fail("memset", sa, da, n);
            }
    /* large copies take the bulk paths */
    fill(src, BUF, 99);
    for (size_t n = 1024; n <= 3000; n += 331) {
        memcpy(dst + 3, src + 1, n);
        checks++;
        if (ref_cmp(dst + 3, src + 1, n) != 0) fail("memcpy large", 1, 3, n);
    }
}

static void test_memmove(void)
{
    for (int overlap = -40; overlap <= 40; overlap++)
        for (size_t n = 0; n < 200; n += 3) {
            fill(dst, 512, (unsigned)(n + 1000 + overlap));
            memcpy(ref, dst, 512);
            size_t s = 100, d = (size_t)(100 + overlap);
            /* reference: copy through a temporary */
            unsigned char tmp[256];
            for (size_t i = 0; i < n; i++) tmp[i] = ref[s + i];
            for (size_t i = 0; i < n; i++) ref[d + i] = tmp[i];
            memmove(dst + d, dst + s, n);
            checks++;
            if (ref_cmp(dst, ref, 512) != 0) fail("memmove", s, d, n);
        }
}

static void test_str(void)
{
    for (size_t a = 0; a < 32; a++)
        for (size_t len = 0; len < 200; len++) {
            fill(src, 400, (unsigned)(a * 1000 + len));
            src[a + len] = 0;
            checks++;
            if (strlen((char *)src + a) != len) fail("strlen", a, 0, len);
            checks++;
            if (strnlen((char *)src + a, len / 2) != len / 2) fail("strnlen", a, 0, len);

            memset(dst, 0x55, 400);
            strcpy((char *)dst + (len & 15), (char *)src + a);
            checks++;
            if (ref_cmp(dst + (len & 15), src + a, len + 1) != 0) fail("strcpy", a, len & 15, len);

            /* strcmp/memcmp: equal, then differ at the last position */
            checks++;
            if (strcmp((char *)dst + (len & 15), (char *)src + a) != 0) fail("strcmp equal", a, 0, len);
            if (len) {
                unsigned char *last = dst + (len & 15) + len - 1;
                unsigned char old = *last;
                *last = (unsigned char)(old ^ 0x80);
                int want = old < *last ? -1 : 1;
                checks++;
                if (sign(strcmp((char *)src + a, (char *)dst + (len & 15))) != want) fail("strcmp differ", a, 0, len);
                checks++;
                if (sign(memcmp(src + a, dst + (len & 15), len)) != want) fail("memcmp differ", a, 0, len);
                checks++;
                if (strncmp((char *)src + a, (char *)dst + (len & 15), len - 1) != 0) fail("strncmp prefix", a, 0, len);
                *last = old;
            }

            /* strchr / memchr / strrchr for a byte placed at a known position */
            if (len) {
                size_t pos = len * 7 / 11;
                unsigned char save = src[a + pos];
                src[a + pos] = 0xFE;
                for (size_t i = 0; i < len; i++) if (i != pos && src[a + i] == 0xFE) src[a + i] = 0x11;
                checks++;
                if (strchr((char *)src + a, 0xFE) != (char *)src + a + pos) fail("strchr", a, pos, len);
                checks++;
                if (memchr(src + a, 0xFE, len) != src + a + pos) fail("memchr", a, pos, len);
                checks++;
                if (strrchr((char *)src + a, 0xFE) != (char *)src + a + pos) fail("strrchr", a, pos, len);
                src[a + pos] = save;
            }
            checks++;
            if (strchr((char *)src + a, 0) != (char *)src + a + len) fail("strchr nul", a, 0, len);
        }
}

static void test_misc(void)
{
    char buf[128];
    strcpy(buf, "hello");
    strcat(buf, ", ");
    strncat(buf, world, 6);
    checks++;
    if (strcmp(buf, "hello, world!") != 0) fail("strcat", 0, 0, strlen(buf));
    checks++;
    if (strstr("the quick brown fox", "brown") == NULL || strcmp(strstr("the quick brown fox", "brown"), "brown fox") != 0)
        fail("strstr", 0, 0, 0);
    checks++;
    if (strspn("abcabcxyz", "abc") != 6 || strcspn("abcabcxyz", "xz") != 6) fail("strspn", 0, 0, 0);
    char *dup = strdup("duplicate me");
    checks++;
    if (!dup || strcmp(dup, "duplicate me") != 0) fail("strdup", 0, 0, 0);
    free(dup);
    char tok[] = "a,b,,c";
    char *save = NULL;
    int count = 0;
    for (char *t = strtok_r(tok, ",", &save); t; t = strtok_r(NULL, ",", &save)) count++;
    checks++;
    if (count != 3) fail("strtok_r", 0, 0, (size_t)count);
    checks++;
    if (strtol("-12345xyz", NULL, 10) != -12345 || strtoul("ff", NULL, 16) != 255 || strtoll("0777", NULL, 0) != 511)
        fail("strtol", 0, 0, 0);

    /* a buffer ending exactly at a page boundary: vector loads must not fault past it */
    long page = 4096;
    unsigned char *blk = aligned_alloc((size_t)page, (size_t)(2 * page));
    if (blk) {
        unsigned char *end = blk + page;
        for (int n = 1; n < 40; n++) {
            memset(end - n, 'x', (size_t)n - 1);
            end[-1] = 0;
            checks++;
            if (strlen((char *)end - n) != (size_t)n - 1) fail("strlen at page end", 0, 0, (size_t)n);
        }
        free(blk);
    }
}

/* Bench mode (bench/compare.sh): glibc's routines alone on strings of a few bytes to 4 KB at every
 * alignment, repeated; the result is a checksum (signs only: comparison magnitudes are unspecified). */
static void bench(long reps)
{
    static const size_t lengths[] = {5, 13, 31, 64, 100, 255, 512, 1000, 4000};
    static char s1[4200], s2[4200], d[4200];
    for (size_t i = 0; i < sizeof s1; i++) s1[i] = s2[i] = (char)('a' + (i * 7 + i / 26) % 26);
    unsigned long acc = 0;
    for (long r = 0; r < reps; r++)
        for (size_t k = 0; k < sizeof lengths / sizeof lengths[0]; k++) {
            size_t len = lengths[k], off = (size_t)(r + (long)k) & 15;
            char *a = s1 + off, *b = s2 + off;
            a[len] = b[len] = 0;
            a[len - 1] = '#';
            acc += strlen(a);
            acc += strnlen(a, len / 2 + 1);
            acc += (size_t)((char *)memchr(a, '#', len) - a);
            acc += (size_t)(strchr(a, '#') - a) + (size_t)(strrchr(a, a[0]) - a);
            acc += (unsigned)sign(strcmp(a, b)) + (unsigned)sign(memcmp(a, b, len)) + 2;
            memcpy(d, a, len + 1);
            acc += (unsigned char)d[len / 2];
            strcpy(d + (r & 7), a);
            acc += strlen(d);
            memset(d, (int)(r & 63) + 1, len);
            acc += (unsigned char)d[len - 1];
            a[len - 1] = b[len - 1];
            a[len] = b[len] = 'x';
        }
    printf("bench %ld: checksum %lu\n", reps, acc);
}

/* argv[1]: bench mode with that many repetitions, instead of the checks. */
int main(int argc, char **argv)
{
    if (argc > 1) {
        bench(atol(argv[1]));
        return 0;
    }
    test_memcpy_memset();
    printf("memcpy/memset done\n");
    test_memmove();
    printf("memmove done\n");
    test_str();
    printf("str* done\n");
    test_misc();
    printf("misc done\n");
    printf("strings: %ld checks, %s\n", checks, failures ? "FAILED" : "all passed");
    return failures ? 1 : 0;
}
