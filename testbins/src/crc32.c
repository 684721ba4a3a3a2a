/* CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320) computed bitwise and with a
 * 256-entry table; both must give the standard check value and agree on
 * generated data. Exercises shifts, xor, conditional ops and table loads. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t table[256];

static void make_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        table[i] = c;
    }
}

static uint32_t crc_bitwise(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        /* branch-free form: mask is all ones when the low bit is set */
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

static uint32_t crc_table(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n--) crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static int failures;

static void check(const char *label, uint32_t got, uint32_t want)
{
    int ok = got == want;
    printf("%-28s 0x%08x %s\n", label, got, ok ? "ok" : "MISMATCH");
    if (!ok) failures++;
}

#define BIG_SIZE (32u << 20)
#define BITWISE_SIZE (4u << 20)
/* zlib.crc32 of the generated data, computed on the host (see DUMP_DATA) */
#define EXPECTED_BIG 0x1c3639e7u
#define EXPECTED_BITWISE 0xda749b49u

/* argv[1]: how many times the 4 MiB and 32 MiB checksums are computed (bench/compare.sh runs more). */
int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 1;
    uint8_t *data = malloc(BIG_SIZE);
    if (!data) { puts("malloc failed"); return 2; }
    /* 32-bit LCG (Numerical Recipes constants); the top byte is the best mixed */
    uint32_t x = 12345;
    for (size_t i = 0; i < BIG_SIZE; i++) {
        x = x * 1664525u + 1013904223u;
        data[i] = (uint8_t)(x >> 24);
    }
#ifdef DUMP_DATA
    fwrite(data, 1, BIG_SIZE, stdout);
    return 0;
#endif
    make_table();
    check("table[1]", table[1], 0x77073096u);
    check("table[255]", table[255], 0x2D02EF8Du);

    const uint8_t *digits = (const uint8_t *)"123456789";
    check("bitwise \"123456789\"", crc_bitwise(0, digits, 9), 0xCBF43926u);
    check("table \"123456789\"", crc_table(0, digits, 9), 0xCBF43926u);
    check("empty", crc_table(0, digits, 0), 0);
    const char *fox = "The quick brown fox jumps over the lazy dog";
    check("fox", crc_table(0, (const uint8_t *)fox, strlen(fox)), 0x414FA339u);

    /* incremental update must equal the one-shot value */
    uint32_t split = crc_table(crc_table(0, digits, 4), digits + 4, 5);
    check("incremental \"1234\"+\"56789\"", split, 0xCBF43926u);

    for (int round = 0; round < rounds; round++) {
        uint32_t bw = crc_bitwise(0, data, BITWISE_SIZE);
        uint32_t tb = crc_table(0, data, BITWISE_SIZE);
        check("bitwise 4MiB", bw, EXPECTED_BITWISE);
        check("table 4MiB", tb, EXPECTED_BITWISE);
        check("table 32MiB", crc_table(0, data, BIG_SIZE), EXPECTED_BIG);
    }

    free(data);
    printf("crc32: %s\n", failures ? "FAILED" : "all checks passed");
    return failures ? 1 : 0;
}
