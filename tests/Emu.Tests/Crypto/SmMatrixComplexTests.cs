using Emu.Tests.Support;

namespace Emu.Tests.Crypto;

/// <summary>
/// SM4 (the GB/T 32907 example: key = plaintext = 0123456789abcdeffedcba9876543210 gives
/// 681edf34d206965e86b3e94f536e4246) run entirely through SM4EKEY/SM4E, I8MM matrix multiply and mixed-sign dot
/// products on hand-computed values, and FCMLA/FCADD on complex numbers worked out by hand (including the sign of
/// a NaN negated before the multiply), all through both tiers.
/// </summary>
public unsafe class SmMatrixComplexTests
{
    private static (ulong Low, ulong High) Words(uint w0, uint w1, uint w2, uint w3) =>
        (w0 | ((ulong)w1 << 32), w2 | ((ulong)w3 << 32));

    private static uint Word(CpuTestHarness h, int v, int i) =>
        (uint)((i < 2 ? h.VLow(v) : h.VHigh(v)) >> (32 * (i & 1)));

    [Fact]
    public void Sm4EncryptsTheStandardExample()
    {
        uint[] mk = [0x01234567, 0x89abcdef, 0xfedcba98, 0x76543210];
        uint[] fk = [0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc];
        var code = new List<uint>();
        for (uint k = 0; k < 8; k++) code.Add(0xCE60C800 | ((16 + k) << 16) | (k << 5) | (k + 1)); // sm4ekey v(k+1), v(k), v(16+k)
        for (uint k = 0; k < 8; k++) code.Add(0xCEC08400 | ((k + 1) << 5) | 9); // sm4e v9, v(k+1)
        CpuTestHarness.RunBothTiers([.. code], h =>
        {
            var k0 = Words(mk[0] ^ fk[0], mk[1] ^ fk[1], mk[2] ^ fk[2], mk[3] ^ fk[3]);
            h.SetV(0, k0.Low, k0.High);
            for (int v = 0; v < 8; v++)
            {
                // CK[i] byte j (big-endian within the word) = (4i + j) * 7 mod 256.
                var ck = new uint[4];
                for (int i = 0; i < 4; i++)
                    for (int j = 0; j < 4; j++)
                        ck[i] |= (uint)(((4 * (4 * v + i) + j) * 7) & 0xff) << (24 - 8 * j);
                var c = Words(ck[0], ck[1], ck[2], ck[3]);
                h.SetV(16 + v, c.Low, c.High);
            }
            var p = Words(mk[0], mk[1], mk[2], mk[3]);
            h.SetV(9, p.Low, p.High);
        }, h =>
        {
            // The cipher output is the last four words in reverse order.
            Assert.Equal(0x681edf34u, Word(h, 9, 3));
            Assert.Equal(0xd206965eu, Word(h, 9, 2));
            Assert.Equal(0x86b3e94fu, Word(h, 9, 1));
            Assert.Equal(0x536e4246u, Word(h, 9, 0));
        });
    }

    private static (ulong Low, ulong High) Bytes(params int[] b)
    {
        ulong lo = 0, hi = 0;
        for (int i = 0; i < 8; i++) lo |= (ulong)(byte)b[i] << (8 * i);
        for (int i = 0; i < 8; i++) hi |= (ulong)(byte)b[8 + i] << (8 * i);
        return (lo, hi);
    }

    // Vn: row 0 all 2, row 1 all 0xFF. Vm: row 0 all 0xFD, row 1 = 1..8. Accumulators start at 1000.
    public static TheoryData<string, uint, uint, uint, uint, uint> MmlaCases() => new()
    {
        { "smmla", 0x4e82a420, 1000 - 48, 1000 + 72, 1000 + 24, 1000 - 36 },
        { "ummla", 0x6e82a420, 1000 + 2 * 253 * 8, 1000 + 72, 1000 + 255 * 253 * 8, 1000 + 255 * 36 },
        { "usmmla", 0x4e82ac20, 1000 - 48, 1000 + 72, unchecked((uint)(1000 - 255 * 3 * 8)), 1000 + 255 * 36 },
    };

    [Theory]
    [MemberData(nameof(MmlaCases))]
    public void MatrixMultiplyAccumulate(string name, uint word, uint c00, uint c01, uint c10, uint c11)
    {
        _ = name;
        CpuTestHarness.RunBothTiers([word], h =>
        {
            var n = Bytes(2, 2, 2, 2, 2, 2, 2, 2, -1, -1, -1, -1, -1, -1, -1, -1);
            var m = Bytes(-3, -3, -3, -3, -3, -3, -3, -3, 1, 2, 3, 4, 5, 6, 7, 8);
            h.SetV(1, n.Low, n.High);
            h.SetV(2, m.Low, m.High);
            var acc = Words(1000, 1000, 1000, 1000);
            h.SetV(0, acc.Low, acc.High);
        }, h =>
        {
            Assert.Equal(c00, Word(h, 0, 0));
            Assert.Equal(c01, Word(h, 0, 1));
            Assert.Equal(c10, Word(h, 0, 2));
            Assert.Equal(c11, Word(h, 0, 3));
        });
    }

    [Fact]
    public void MixedSignDotProducts()
    {
        // usdot v0.4s, v1.16b, v2.16b; usdot v3.2s, v1.8b, v2.4b[3]; sudot v4.4s, v1.16b, v2.4b[1]
        uint[] code = [0x4e829c20, 0x0fa2f823, 0x4f22f024];
        CpuTestHarness.RunBothTiers(code, h =>
        {
            var n = Bytes(1, 2, 3, 4, -1, -1, -1, -1, 10, 0, 0, 0, 0, 0, 0, -128);
            var m = Bytes(-1, -1, -1, -1, 2, 2, 2, 2, 3, 0, 0, 0, -2, 5, 0, 1);
            h.SetV(1, n.Low, n.High);
            h.SetV(2, m.Low, m.High);
            h.SetV(0, 0, 0);
            h.SetV(3, 7, 0xFFFF_FFFF_FFFF_FFFF);
            h.SetV(4, 0, 0);
        }, h =>
        {
            // Vector: n unsigned (0xFF = 255, 0x80 = 128), m signed.
            Assert.Equal(unchecked((uint)-10), Word(h, 0, 0));
            Assert.Equal(255u * 8, Word(h, 0, 1));
            Assert.Equal(30u, Word(h, 0, 2));
            Assert.Equal(128u, Word(h, 0, 3));
            // By element [3] = (-2, 5, 0, 1) with n unsigned; 2 lanes, upper half cleared.
            Assert.Equal(7u + (uint)(-2 + 10 + 0 + 4), Word(h, 3, 0));
            Assert.Equal(unchecked((uint)(255 * (-2 + 5 + 0 + 1))), Word(h, 3, 1));
            Assert.Equal(0UL, h.VHigh(3));
            // SUDOT by element [1] = (2, 2, 2, 2) unsigned with n signed.
            Assert.Equal(20u, Word(h, 4, 0));
            Assert.Equal(unchecked((uint)-8), Word(h, 4, 1));
            Assert.Equal(20u, Word(h, 4, 2));
            Assert.Equal(unchecked((uint)-256), Word(h, 4, 3));
        });
    }

    private static uint F(float f) => BitConverter.SingleToUInt32Bits(f);

    [Fact]
    public void ComplexMultiplyAndAdd()
    {
        // fcmla v0.4s, v1.4s, v2.4s, #0 then #90 gives (1+2i)(3+4i) = -5+10i in pair 0 (and (2-i)(0.5+i) = 2+1.5i in pair 1);
        // fcadd v5.4s, v1.4s, v2.4s, #90 and #270 into v6; fcmla v7 by element s[1] (pair 1 of v2), #270.
        uint[] code = [0x6e82c420, 0x6e82cc20, 0x6e82e425, 0x6e82f426, 0x6f827827];
        CpuTestHarness.RunBothTiers(code, h =>
        {
            var n = Words(F(1), F(2), F(2), F(-1));
            var m = Words(F(3), F(4), F(0.5f), F(1));
            h.SetV(1, n.Low, n.High);
            h.SetV(2, m.Low, m.High);
            h.SetV(0, 0, 0);
            var acc = Words(F(100), F(200), F(300), F(400));
            h.SetV(7, acc.Low, acc.High);
        }, h =>
        {
            Assert.Equal(F(-5), Word(h, 0, 0));
            Assert.Equal(F(10), Word(h, 0, 1));
            Assert.Equal(F(2), Word(h, 0, 2));
            Assert.Equal(F(1.5f), Word(h, 0, 3));
            // #90: n + i*m: (1-4) + (2+3)i, (2-1) + (-1+0.5)i.
            Assert.Equal(F(-3), Word(h, 5, 0));
            Assert.Equal(F(5), Word(h, 5, 1));
            Assert.Equal(F(1), Word(h, 5, 2));
            Assert.Equal(F(-0.5f), Word(h, 5, 3));
            // #270: n - i*m: (1+4) + (2-3)i, (2+1) + (-1-0.5)i.
            Assert.Equal(F(5), Word(h, 6, 0));
            Assert.Equal(F(-1), Word(h, 6, 1));
            Assert.Equal(F(3), Word(h, 6, 2));
            Assert.Equal(F(-1.5f), Word(h, 6, 3));
            // #270 with m = 0.5+i for every pair: re += n.im*m.im, im += n.im*-m.re.
            Assert.Equal(F(100 + 2), Word(h, 7, 0));
            Assert.Equal(F(200 - 1), Word(h, 7, 1));
            Assert.Equal(F(300 - 1), Word(h, 7, 2));
            Assert.Equal(F(400 + 0.5f), Word(h, 7, 3));
        });
    }

    [Theory]
    [InlineData(0UL, 0xFFC00000u)] // FPNeg flips the NaN's sign before it propagates
    [InlineData(1UL << 25, 0x7FC00000u)] // FPCR.DN: the default NaN
    public void ComplexMultiplyNegatesNaNBeforeTheMultiply(ulong fpcr, uint expectedRe)
    {
        // fcmla v0.4s, v1.4s, v2.4s, #180: re += n.re * -m.re with m.re a quiet NaN.
        CpuTestHarness.RunBothTiers([0x6e82d420], h =>
        {
            h.Ctx->Fpcr = fpcr;
            var n = Words(F(1), F(2), F(1), F(1));
            var m = Words(0x7FC00000, F(1), F(1), F(1));
            h.SetV(1, n.Low, n.High);
            h.SetV(2, m.Low, m.High);
            h.SetV(0, 0, 0);
        }, h =>
        {
            Assert.Equal(expectedRe, Word(h, 0, 0));
            Assert.Equal(F(-1), Word(h, 0, 1));
        });
    }
}
