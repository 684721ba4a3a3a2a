/* SHA-256 (FIPS 180-4) over the standard test vectors and over 32 MiB of
 * PRNG-generated data hashed in odd-sized chunks. Exercises 32-bit rotates,
 * shifts, adds and byte loads/stores in a hot loop. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint32_t h[8];
    uint64_t total_len;
    uint8_t buf[64];
    size_t buf_len;
} Sha256;

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void compress(uint32_t h[8], const uint8_t *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g; g = f; f = e; e = d + t1;
        d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
    h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

static void sha_init(Sha256 *s)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, iv, sizeof iv);
    s->total_len = 0;
    s->buf_len = 0;
}

static void sha_update(Sha256 *s, const uint8_t *p, size_t n)
{
    s->total_len += n;
    if (s->buf_len) {
        size_t take = 64 - s->buf_len < n ? 64 - s->buf_len : n;
        memcpy(s->buf + s->buf_len, p, take);
        s->buf_len += take; p += take; n -= take;
        if (s->buf_len == 64) { compress(s->h, s->buf); s->buf_len = 0; }
    }
    while (n >= 64) { compress(s->h, p); p += 64; n -= 64; }
    memcpy(s->buf, p, n);
    s->buf_len += n;
}

static void sha_final(Sha256 *s, char hex[65])
{
    uint64_t bits = s->total_len * 8;
    uint8_t pad = 0x80;
    sha_update(s, &pad, 1);
    uint8_t zero = 0;
    while (s->buf_len != 56) sha_update(s, &zero, 1);
    uint8_t len_be[8];
    for (int i = 0; i < 8; i++) len_be[i] = (uint8_t)(bits >> (56 - 8 * i));
    sha_update(s, len_be, 8);
    for (int i = 0; i < 8; i++) sprintf(hex + 8 * i, "%08x", s->h[i]);
    hex[64] = 0;
}

static int failures;

static void check(const char *label, const char *got, const char *want)
{
    int ok = strcmp(got, want) == 0;
    printf("%-22s %s %s\n", label, got, ok ? "ok" : "MISMATCH");
    if (!ok) failures++;
}

static void hash_string(const char *label, const char *msg, const char *want)
{
    Sha256 s; char hex[65];
    sha_init(&s);
    sha_update(&s, (const uint8_t *)msg, strlen(msg));
    sha_final(&s, hex);
    check(label, hex, want);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t xorshift64(void)
{
    uint64_t x = rng_state;
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    return rng_state = x;
}

#define DATA_SIZE (32u << 20)
/* digest of the generated data, computed independently with host sha256sum (see DUMP_DATA) */
#ifndef EXPECTED_BIG
#define EXPECTED_BIG "6c0a7f45670d2c4653432c678443c311974d194fa6f1da7d1a326a159081c5af"
#endif

/* argv[1]: how many times the 32 MiB digest is computed (bench/compare.sh runs more). */
int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 1;
#ifdef DUMP_DATA
    /* host-side helper: emit the generated data so `sha256sum` gives an independent digest */
    uint8_t *dump = malloc(DATA_SIZE);
    for (size_t i = 0; i < DATA_SIZE; i += 8) { uint64_t r = xorshift64(); memcpy(dump + i, &r, 8); }
    fwrite(dump, 1, DATA_SIZE, stdout);
    return 0;
#endif
    hash_string("empty", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    hash_string("abc", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    hash_string("448-bit",
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    hash_string("896-bit",
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");

    /* one million 'a' fed in 1000-byte pieces */
    {
        static uint8_t a1000[1000];
        memset(a1000, 'a', sizeof a1000);
        Sha256 s; char hex[65];
        sha_init(&s);
        for (int i = 0; i < 1000; i++) sha_update(&s, a1000, sizeof a1000);
        sha_final(&s, hex);
        check("million-a", hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }

    uint8_t *data = malloc(DATA_SIZE);
    if (!data) { puts("malloc failed"); return 2; }
    for (size_t i = 0; i < DATA_SIZE; i += 8) {
        uint64_t r = xorshift64();
        memcpy(data + i, &r, 8);
    }
    /* chunk sizes deliberately not multiples of 64 to exercise buffering */
    for (int round = 0; round < rounds; round++) {
        Sha256 s; char hex[65];
        sha_init(&s);
        size_t off = 0, step = 1;
        while (off < DATA_SIZE) {
            size_t n = (step * 7919) % 100003 + 1;
            if (n > DATA_SIZE - off) n = DATA_SIZE - off;
            sha_update(&s, data + off, n);
            off += n; step++;
        }
        sha_final(&s, hex);
        check("32MiB-xorshift", hex, EXPECTED_BIG);
    }
    free(data);

    printf("sha256: %s\n", failures ? "FAILED" : "all checks passed");
    return failures ? 1 : 0;
}
