// SM3 (GB/T 32905) and SM4 (GB/T 32907) with the Armv8.2 SM3/SM4 instructions: the standard examples
// (SM3 of "abc" and of the 64-byte "abcd" x 16 message; SM4 encryption of 0123456789abcdeffedcba9876543210
// under the same key, and the 1,000,000-fold re-encryption), checked against portable C, plus the raw
// instruction results on pseudo-random inputs.
#pragma GCC target("arch=armv8.2-a+sm4")
#include <arm_neon.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> ((32 - n) & 31)); }

static const uint32_t sm3_iv[8] = {0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600,
                                   0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e};

// One SM3 compression with the instructions. State vectors hold (D, C, B, A) and (H, G, F, E), lane 3 on top.
static void sm3_block_ce(uint32_t v[8], const uint32_t w_in[16])
{
    uint32_t w[68];
    memcpy(w, w_in, sizeof(uint32_t) * 16);
    for (int j = 16; j < 68; j += 4)
    {
        uint32x4_t t = vsm3partw1q_u32(vld1q_u32(&w[j - 16]), vld1q_u32(&w[j - 9]), vld1q_u32(&w[j - 4]));
        vst1q_u32(&w[j], vsm3partw2q_u32(t, vld1q_u32(&w[j - 6]), vld1q_u32(&w[j - 13])));
    }
    uint32_t abcd[4] = {v[3], v[2], v[1], v[0]}, efgh[4] = {v[7], v[6], v[5], v[4]};
    uint32x4_t x = vld1q_u32(abcd), y = vld1q_u32(efgh);
    for (int j = 0; j < 64; j++)
    {
        uint32_t tj = rol(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32);
        uint32x4_t ss1 = vsm3ss1q_u32(x, y, vsetq_lane_u32(tj, vdupq_n_u32(0), 3));
        uint32x4_t wj = vdupq_n_u32(w[j]), wj2 = vdupq_n_u32(w[j] ^ w[j + 4]);
        if (j < 16)
        {
            x = vsm3tt1aq_u32(x, ss1, wj2, 2);
            y = vsm3tt2aq_u32(y, ss1, wj, 1);
        }
        else
        {
            x = vsm3tt1bq_u32(x, ss1, wj2, 3);
            y = vsm3tt2bq_u32(y, ss1, wj, 0);
        }
    }
    vst1q_u32(abcd, x);
    vst1q_u32(efgh, y);
    for (int i = 0; i < 4; i++)
    {
        v[i] ^= abcd[3 - i];
        v[4 + i] ^= efgh[3 - i];
    }
}

static uint32_t p0(uint32_t x) { return x ^ rol(x, 9) ^ rol(x, 17); }
static uint32_t p1(uint32_t x) { return x ^ rol(x, 15) ^ rol(x, 23); }

// The same compression in portable C, straight from the standard.
static void sm3_block_c(uint32_t v[8], const uint32_t w_in[16])
{
    uint32_t w[68], a = v[0], b = v[1], c = v[2], d = v[3], e = v[4], f = v[5], g = v[6], h = v[7];
    memcpy(w, w_in, sizeof(uint32_t) * 16);
    for (int j = 16; j < 68; j++) w[j] = p1(w[j - 16] ^ w[j - 9] ^ rol(w[j - 3], 15)) ^ rol(w[j - 13], 7) ^ w[j - 6];
    for (int j = 0; j < 64; j++)
    {
        uint32_t ss1 = rol(rol(a, 12) + e + rol(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32), 7);
        uint32_t ss2 = ss1 ^ rol(a, 12);
        uint32_t ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
        uint32_t gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
        uint32_t tt1 = ff + d + ss2 + (w[j] ^ w[j + 4]), tt2 = gg + h + ss1 + w[j];
        d = c; c = rol(b, 9); b = a; a = tt1;
        h = g; g = rol(f, 19); f = e; e = p0(tt2);
    }
    v[0] ^= a; v[1] ^= b; v[2] ^= c; v[3] ^= d; v[4] ^= e; v[5] ^= f; v[6] ^= g; v[7] ^= h;
}

static void sm3(const char *msg, int ce, uint32_t out[8])
{
    size_t len = strlen(msg);
    unsigned char buf[128] = {0};
    memcpy(buf, msg, len);
    buf[len] = 0x80;
    size_t blocks = len + 9 <= 64 ? 1 : 2;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++) buf[blocks * 64 - 1 - i] = (unsigned char)(bits >> (8 * i));
    memcpy(out, sm3_iv, sizeof sm3_iv);
    for (size_t blk = 0; blk < blocks; blk++)
    {
        uint32_t w[16];
        for (int i = 0; i < 16; i++)
        {
            const unsigned char *q = buf + blk * 64 + 4 * i;
            w[i] = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
        }
        if (ce) sm3_block_ce(out, w); else sm3_block_c(out, w);
    }
}

// SM4 with the instructions: 8 SM4EKEY for the 32 round keys, 8 SM4E per block.
static const uint32_t fk[4] = {0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc};

static void sm4_keys(const uint32_t key[4], uint32x4_t rk[8])
{
    uint32_t k0[4], ck[32];
    for (int i = 0; i < 4; i++) k0[i] = key[i] ^ fk[i];
    for (int i = 0; i < 32; i++)
        for (int j = 0; j < 4; j++) ck[i] = ck[i] << 8 | (uint32_t)(((4 * i + j) * 7) & 0xff);
    uint32x4_t k = vld1q_u32(k0);
    for (int r = 0; r < 8; r++) k = rk[r] = vsm4ekeyq_u32(k, vld1q_u32(&ck[4 * r]));
}

static uint32x4_t sm4_encrypt(uint32x4_t block, const uint32x4_t rk[8])
{
    for (int r = 0; r < 8; r++) block = vsm4eq_u32(block, rk[r]);
    return vrev64q_u32(vextq_u32(block, block, 2)); // the output is the last four words reversed
}

static uint64_t state = 0x9e3779b97f4a7c15;
static uint32_t next32(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (uint32_t)(state >> 16);
}

static uint32x4_t rand_vec(void)
{
    uint32_t a[4] = {next32(), next32(), next32(), next32()};
    return vld1q_u32(a);
}

static void print_vec(const char *name, uint32x4_t v)
{
    uint32_t a[4];
    vst1q_u32(a, v);
    printf("%-10s %08x %08x %08x %08x\n", name, a[3], a[2], a[1], a[0]);
}

int main(void)
{
    const char *msgs[2] = {"abc", "abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd"};
    for (int m = 0; m < 2; m++)
    {
        uint32_t ce[8], c[8];
        sm3(msgs[m], 1, ce);
        sm3(msgs[m], 0, c);
        printf("sm3 %s:", m == 0 ? "abc" : "abcd*16");
        for (int i = 0; i < 8; i++) printf(" %08x", ce[i]);
        printf(" %s\n", memcmp(ce, c, sizeof ce) == 0 ? "matches C" : "DIFFERS FROM C");
    }

    const uint32_t key[4] = {0x01234567, 0x89abcdef, 0xfedcba98, 0x76543210};
    uint32x4_t rk[8];
    sm4_keys(key, rk);
    uint32x4_t block = vld1q_u32(key);
    block = sm4_encrypt(block, rk);
    print_vec("sm4 1x", block);
    for (int i = 1; i < 1000000; i++) block = sm4_encrypt(block, rk);
    print_vec("sm4 1e6x", block);

    for (int i = 0; i < 40; i++)
    {
        uint32x4_t d = rand_vec(), n = rand_vec(), m = rand_vec();
        print_vec("ss1", vsm3ss1q_u32(d, n, m));
        print_vec("tt1a", vsm3tt1aq_u32(d, n, m, 1));
        print_vec("tt1b", vsm3tt1bq_u32(d, n, m, 2));
        print_vec("tt2a", vsm3tt2aq_u32(d, n, m, 3));
        print_vec("tt2b", vsm3tt2bq_u32(d, n, m, 0));
        print_vec("partw1", vsm3partw1q_u32(d, n, m));
        print_vec("partw2", vsm3partw2q_u32(d, n, m));
        print_vec("sm4e", vsm4eq_u32(d, n));
        print_vec("sm4ekey", vsm4ekeyq_u32(n, m));
    }
    return 0;
}
