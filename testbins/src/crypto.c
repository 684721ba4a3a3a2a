/* Crypto and CRC32 instructions through the ACLE intrinsics: AES-128 (FIPS-197 C.1),
 * SHA-1, SHA-256 and SHA-512 of "abc" with the SHA instructions, the SHA3 helpers
 * (EOR3/BCAX/RAX1/XAR), PMULL.1Q, CRC32/CRC32C check values and each instruction on
 * many pseudo-random inputs. The ID register values follow the advertised HWCAPs. */
#pragma GCC target("arch=armv8.2-a+crypto+sha3+crc")
#include <arm_acle.h>
#include <arm_neon.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t rng = 0x123456789abcdef1ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static uint8x16_t rnd16(void)
{
    uint64x2_t v = { next(), next() };
    return vreinterpretq_u8_u64(v);
}
static void print16(const char *name, uint8x16_t v)
{
    uint8_t b[16];
    vst1q_u8(b, v);
    printf("%s ", name);
    for (int i = 0; i < 16; i++) printf("%02x", b[i]);
    printf("\n");
}

/* ---- AES-128 ---- */
static const uint8_t sbox_rcon[11] = { 0, 1, 2, 4, 8, 16, 32, 64, 128, 0x1b, 0x36 };
static uint32_t subword(uint32_t w)
{
    /* AESE with a zero key on a replicated word gives SubBytes (ShiftRows only moves bytes across columns). */
    uint8x16_t v = vreinterpretq_u8_u32(vdupq_n_u32(w));
    v = vaeseq_u8(v, vdupq_n_u8(0));
    return vgetq_lane_u32(vreinterpretq_u32_u8(v), 0);
}
static void aes128_expand(const uint8_t key[16], uint8x16_t rk[11])
{
    uint32_t w[44];
    memcpy(w, key, 16);
    for (int i = 4; i < 44; i++) {
        uint32_t t = w[i - 1];
        if (i % 4 == 0) t = subword((t >> 8) | (t << 24)) ^ sbox_rcon[i / 4];
        w[i] = w[i - 4] ^ t;
    }
    for (int i = 0; i < 11; i++) rk[i] = vld1q_u8((const uint8_t *)&w[4 * i]);
}
static void aes_test(void)
{
    uint8_t key[16], pt[16], ct[16], back[16];
    for (int i = 0; i < 16; i++) {
        key[i] = i;
        pt[i] = (uint8_t)(i * 0x11);
    }
    uint8x16_t rk[11];
    aes128_expand(key, rk);
    uint8x16_t s = vld1q_u8(pt);
    for (int r = 0; r < 9; r++) s = vaesmcq_u8(vaeseq_u8(s, rk[r]));
    s = veorq_u8(vaeseq_u8(s, rk[9]), rk[10]);
    vst1q_u8(ct, s);
    print16("aes128 ct", s);
    /* Decrypt with the equivalent inverse cipher. */
    s = vld1q_u8(ct);
    s = vaesdq_u8(s, rk[10]);
    for (int r = 9; r >= 1; r--) s = vaesdq_u8(vaesimcq_u8(s), vaesimcq_u8(rk[r]));
    s = veorq_u8(s, rk[0]);
    vst1q_u8(back, s);
    printf("aes128 roundtrip %s\n", memcmp(back, pt, 16) == 0 ? "ok" : "FAIL");
    for (int i = 0; i < 8; i++) {
        uint8x16_t a = rnd16(), b = rnd16();
        print16("aese", vaeseq_u8(a, b));
        print16("aesd", vaesdq_u8(a, b));
        print16("aesmc", vaesmcq_u8(a));
        print16("aesimc", vaesimcq_u8(a));
    }
}

/* ---- SHA-1 ---- */
static void sha1_block(uint32_t st[5], const uint8_t blk[64])
{
    uint32x4_t abcd = vld1q_u32(st), abcd0 = abcd;
    uint32_t e = st[4], e0 = e, e1;
    uint32x4_t m[4];
    for (int i = 0; i < 4; i++) m[i] = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(blk + 16 * i)));
    static const uint32_t k[4] = { 0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6 };
    for (int r = 0; r < 20; r++) {
        uint32x4_t wk = vaddq_u32(m[r % 4], vdupq_n_u32(k[r / 5]));
        e1 = vsha1h_u32(vgetq_lane_u32(abcd, 0));
        if (r < 5) abcd = vsha1cq_u32(abcd, e, wk);
        else if (r < 10 || r >= 15) abcd = vsha1pq_u32(abcd, e, wk);
        else abcd = vsha1mq_u32(abcd, e, wk);
        e = e1;
        m[r % 4] = vsha1su1q_u32(vsha1su0q_u32(m[r % 4], m[(r + 1) % 4], m[(r + 2) % 4]), m[(r + 3) % 4]);
    }
    abcd = vaddq_u32(abcd, abcd0);
    vst1q_u32(st, abcd);
    st[4] = e + e0;
}

/* ---- SHA-256 ---- */
static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};
static void sha256_block(uint32_t st[8], const uint8_t blk[64])
{
    uint32x4_t s0 = vld1q_u32(st), s1 = vld1q_u32(st + 4), a0 = s0, a1 = s1;
    uint32x4_t m[4];
    for (int i = 0; i < 4; i++) m[i] = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(blk + 16 * i)));
    for (int r = 0; r < 16; r++) {
        uint32x4_t wk = vaddq_u32(m[r % 4], vld1q_u32(K256 + 4 * r));
        uint32x4_t t = s0;
        s0 = vsha256hq_u32(s0, s1, wk);
        s1 = vsha256h2q_u32(s1, t, wk);
        m[r % 4] = vsha256su1q_u32(vsha256su0q_u32(m[r % 4], m[(r + 1) % 4]), m[(r + 2) % 4], m[(r + 3) % 4]);
    }
    vst1q_u32(st, vaddq_u32(s0, a0));
    vst1q_u32(st + 4, vaddq_u32(s1, a1));
}

/* ---- SHA-512 (the structure of the Linux sha512-ce round macro) ---- */
static const uint64_t K512[80] = {
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
    0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
    0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
    0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
    0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
    0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
    0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
    0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
    0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
    0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
};
static void sha512_block(uint64_t st[8], const uint8_t blk[128])
{
    /* v[0]=ab v[1]=cd v[2]=ef v[3]=gh, rotated by one pair each two rounds. */
    uint64x2_t v[4], orig[4], m[8];
    for (int i = 0; i < 4; i++) orig[i] = v[i] = vld1q_u64(st + 2 * i);
    for (int i = 0; i < 8; i++) m[i] = vreinterpretq_u64_u8(vrev64q_u8(vld1q_u8(blk + 16 * i)));
    for (int r = 0; r < 40; r++) {
        int i0 = (4 - r % 4) % 4; /* ab */
        uint64x2_t ab = v[i0], cd = v[(i0 + 1) % 4], ef = v[(i0 + 2) % 4], gh = v[(i0 + 3) % 4];
        uint64x2_t wk = vaddq_u64(m[r % 8], vld1q_u64(K512 + 2 * r));
        uint64x2_t fg = vextq_u64(ef, gh, 1), de = vextq_u64(cd, ef, 1);
        uint64x2_t t = vaddq_u64(vextq_u64(wk, wk, 1), gh);
        t = vsha512hq_u64(t, fg, de);
        uint64x2_t newgh = vaddq_u64(cd, t);
        uint64x2_t newcd = vsha512h2q_u64(t, cd, ab);
        v[(i0 + 1) % 4] = newgh; /* becomes ef of the next pair of rounds */
        v[(i0 + 3) % 4] = newcd; /* becomes ab */
        if (r < 32)
            m[r % 8] = vsha512su1q_u64(vsha512su0q_u64(m[r % 8], m[(r + 1) % 8]), m[(r + 7) % 8],
                                       vextq_u64(m[(r + 4) % 8], m[(r + 5) % 8], 1));
    }
    for (int i = 0; i < 4; i++) vst1q_u64(st + 2 * i, vaddq_u64(v[i], orig[i]));
}

static void pad(uint8_t *blk, int blen, const char *msg)
{
    size_t n = strlen(msg);
    memset(blk, 0, blen);
    memcpy(blk, msg, n);
    blk[n] = 0x80;
    blk[blen - 1] = (uint8_t)(n * 8);
    blk[blen - 2] = (uint8_t)((n * 8) >> 8);
}

static void sha_test(void)
{
    uint8_t blk[128];
    uint32_t s1[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
    pad(blk, 64, "abc");
    sha1_block(s1, blk);
    printf("sha1(abc) ");
    for (int i = 0; i < 5; i++) printf("%08x", s1[i]);
    printf("\n");
    uint32_t s2[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    sha256_block(s2, blk);
    printf("sha256(abc) ");
    for (int i = 0; i < 8; i++) printf("%08x", s2[i]);
    printf("\n");
    uint64_t s5[8] = { 0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
                       0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179 };
    pad(blk, 128, "abc");
    sha512_block(s5, blk);
    printf("sha512(abc) ");
    for (int i = 0; i < 8; i++) printf("%016llx", (unsigned long long)s5[i]);
    printf("\n");
    for (int i = 0; i < 8; i++) {
        uint32x4_t a = vreinterpretq_u32_u8(rnd16()), b = vreinterpretq_u32_u8(rnd16()), c = vreinterpretq_u32_u8(rnd16());
        uint32_t e = (uint32_t)next();
        print16("sha1c", vreinterpretq_u8_u32(vsha1cq_u32(a, e, b)));
        print16("sha1p", vreinterpretq_u8_u32(vsha1pq_u32(a, e, b)));
        print16("sha1m", vreinterpretq_u8_u32(vsha1mq_u32(a, e, b)));
        printf("sha1h %08x\n", vsha1h_u32(e));
        print16("sha1su0", vreinterpretq_u8_u32(vsha1su0q_u32(a, b, c)));
        print16("sha1su1", vreinterpretq_u8_u32(vsha1su1q_u32(a, b)));
        print16("sha256h", vreinterpretq_u8_u32(vsha256hq_u32(a, b, c)));
        print16("sha256h2", vreinterpretq_u8_u32(vsha256h2q_u32(a, b, c)));
        print16("sha256su0", vreinterpretq_u8_u32(vsha256su0q_u32(a, b)));
        print16("sha256su1", vreinterpretq_u8_u32(vsha256su1q_u32(a, b, c)));
        uint64x2_t x = vreinterpretq_u64_u32(a), y = vreinterpretq_u64_u32(b), z = vreinterpretq_u64_u32(c);
        print16("sha512h", vreinterpretq_u8_u64(vsha512hq_u64(x, y, z)));
        print16("sha512h2", vreinterpretq_u8_u64(vsha512h2q_u64(x, y, z)));
        print16("sha512su0", vreinterpretq_u8_u64(vsha512su0q_u64(x, y)));
        print16("sha512su1", vreinterpretq_u8_u64(vsha512su1q_u64(x, y, z)));
        print16("eor3", veor3q_u8(vreinterpretq_u8_u64(x), vreinterpretq_u8_u64(y), vreinterpretq_u8_u64(z)));
        print16("bcax", vbcaxq_u8(vreinterpretq_u8_u64(x), vreinterpretq_u8_u64(y), vreinterpretq_u8_u64(z)));
        print16("rax1", vreinterpretq_u8_u64(vrax1q_u64(x, y)));
        print16("xar7", vreinterpretq_u8_u64(vxarq_u64(x, y, 7)));
        print16("xar63", vreinterpretq_u8_u64(vxarq_u64(x, y, 63)));
        print16("pmull", vreinterpretq_u8_p128(vmull_p64(vgetq_lane_u64(x, 0), vgetq_lane_u64(y, 0))));
        print16("pmull2", vreinterpretq_u8_p128(vmull_high_p64(vreinterpretq_p64_u64(x), vreinterpretq_p64_u64(y))));
    }
}

static void crc_test(void)
{
    const char *s = "123456789";
    uint32_t c = 0xffffffff, cc = 0xffffffff;
    for (int i = 0; i < 9; i++) {
        c = __crc32b(c, (uint8_t)s[i]);
        cc = __crc32cb(cc, (uint8_t)s[i]);
    }
    printf("crc32 %08x crc32c %08x\n", ~c, ~cc);
    uint8_t buf[1000];
    for (int i = 0; i < 1000; i++) buf[i] = (uint8_t)next();
    uint32_t a = ~0u, b = ~0u, h = ~0u, hc = ~0u, w = ~0u, wc = ~0u;
    for (int i = 0; i < 1000; i += 8) {
        uint64_t d;
        memcpy(&d, buf + i, 8);
        a = __crc32d(a, d);
        b = __crc32cd(b, d);
        for (int j = 0; j < 8; j += 2) {
            uint16_t hw;
            memcpy(&hw, buf + i + j, 2);
            h = __crc32h(h, hw);
            hc = __crc32ch(hc, hw);
        }
        for (int j = 0; j < 8; j += 4) {
            uint32_t ww;
            memcpy(&ww, buf + i + j, 4);
            w = __crc32w(w, ww);
            wc = __crc32cw(wc, ww);
        }
    }
    printf("crc32 x/h/w %08x %08x %08x\n", ~a, ~h, ~w);
    printf("crc32c x/h/w %08x %08x %08x\n", ~b, ~hc, ~wc);
}

static void id_test(void)
{
    uint64_t isar0, isar1, pfr0, midr;
    __asm__ volatile("mrs %0, ID_AA64ISAR0_EL1" : "=r"(isar0));
    __asm__ volatile("mrs %0, ID_AA64ISAR1_EL1" : "=r"(isar1));
    __asm__ volatile("mrs %0, ID_AA64PFR0_EL1" : "=r"(pfr0));
    __asm__ volatile("mrs %0, MIDR_EL1" : "=r"(midr));
    printf("isar0 aes %llu sha1 %llu sha2 %llu crc32 %llu atomic %llu sha3 %llu\n",
           (unsigned long long)(isar0 >> 4 & 15), (unsigned long long)(isar0 >> 8 & 15),
           (unsigned long long)(isar0 >> 12 & 15), (unsigned long long)(isar0 >> 16 & 15),
           (unsigned long long)(isar0 >> 20 & 15), (unsigned long long)(isar0 >> 32 & 15));
    (void)isar1;
    (void)pfr0;
    (void)midr;
}

int main(void)
{
    aes_test();
    sha_test();
    crc_test();
    id_test();
    return 0;
}
