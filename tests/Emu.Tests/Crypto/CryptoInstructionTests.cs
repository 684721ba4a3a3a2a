using System.Runtime.Intrinsics;
using Emu.Frontend.Translation;
using Emu.Tests.Support;

namespace Emu.Tests.Crypto;

/// <summary>
/// Crypto extension and CRC32 instructions through both tiers, against known answers: FIPS-197 appendix B
/// (AES round 1), the first four SHA-1/SHA-256 rounds of "abc" (from an independent Python model of
/// FIPS 180), the CRC-32/CRC-32C check values of "123456789", and qemu-aarch64 results for the rest.
/// </summary>
public class CryptoInstructionTests
{
    private static (ulong Low, ulong High) Bytes(string hex)
    {
        var b = Convert.FromHexString(hex);
        return (BitConverter.ToUInt64(b, 0), BitConverter.ToUInt64(b, 8));
    }

    private static (ulong Low, ulong High) Words(uint w0, uint w1, uint w2, uint w3) =>
        (w0 | ((ulong)w1 << 32), w2 | ((ulong)w3 << 32));

    private static void SetV(CpuTestHarness h, int v, (ulong Low, ulong High) value) => h.SetV(v, value.Low, value.High);

    private static void AssertV(CpuTestHarness h, int v, (ulong Low, ulong High) expected)
    {
        Assert.Equal($"{expected.High:x16}{expected.Low:x16}", $"{h.VHigh(v):x16}{h.VLow(v):x16}");
    }

    // FIPS-197 appendix B, round 1: input, cipher key, and the state after each step.
    private const string AesInput = "3243f6a8885a308d313198a2e0370734";
    private const string AesKey = "2b7e151628aed2a6abf7158809cf4f3c";
    private const string AesStartRound1 = "193de3bea0f4e22b9ac68d2ae9f84808";
    private const string AesAfterShiftRows = "d4bf5d30e0b452aeb84111f11e2798e5";
    private const string AesAfterMixColumns = "046681e5e0cb199a48f8d37a2806264c";

    [Fact]
    public void AesRoundOneMatchesFips197()
    {
        uint[] code =
        [
            0x4e284820, // aese v0.16b, v1.16b
            0x4e286802, // aesmc v2.16b, v0.16b
            0x4e287843, // aesimc v3.16b, v2.16b
            0x4e2858a4, // aesd v4.16b, v5.16b
        ];
        CpuTestHarness.RunBothTiers(code, h =>
        {
            SetV(h, 0, Bytes(AesInput));
            SetV(h, 1, Bytes(AesKey));
            SetV(h, 4, Bytes(AesAfterShiftRows));
            SetV(h, 5, (0, 0));
        }, h =>
        {
            AssertV(h, 0, Bytes(AesAfterShiftRows));
            AssertV(h, 2, Bytes(AesAfterMixColumns));
            AssertV(h, 3, Bytes(AesAfterShiftRows));
            AssertV(h, 4, Bytes(AesStartRound1));
        });
    }

    [Fact]
    public void AesSoftwareFallbackMatchesFips197()
    {
        var input = Vector128.Create(Convert.FromHexString(AesInput));
        var key = Vector128.Create(Convert.FromHexString(AesKey));
        var shifted = Vector128.Create(Convert.FromHexString(AesAfterShiftRows));
        var mixed = Vector128.Create(Convert.FromHexString(AesAfterMixColumns));
        Assert.Equal(shifted, CryptoHelpers.AeseSoftware(input, key));
        Assert.Equal(mixed, CryptoHelpers.AesmcSoftware(shifted));
        Assert.Equal(shifted, CryptoHelpers.AesimcSoftware(mixed));
        Assert.Equal(Vector128.Create(Convert.FromHexString(AesStartRound1)), CryptoHelpers.AesdSoftware(shifted, Vector128<byte>.Zero));
    }

    [Fact]
    public void AesSoftwareFallbackAgreesWithHostAesOnRandomStates()
    {
        if (!System.Runtime.Intrinsics.X86.Aes.IsSupported) return; // no host AES to compare with
        var random = new Random(7);
        var a = new byte[16];
        var b = new byte[16];
        for (int i = 0; i < 200; i++)
        {
            random.NextBytes(a);
            random.NextBytes(b);
            var d = Vector128.Create(a);
            var n = Vector128.Create(b);
            Assert.Equal(System.Runtime.Intrinsics.X86.Aes.EncryptLast(d ^ n, Vector128<byte>.Zero), CryptoHelpers.AeseSoftware(d, n));
            Assert.Equal(System.Runtime.Intrinsics.X86.Aes.DecryptLast(d ^ n, Vector128<byte>.Zero), CryptoHelpers.AesdSoftware(d, n));
            Assert.Equal(System.Runtime.Intrinsics.X86.Aes.InverseMixColumns(d), CryptoHelpers.AesimcSoftware(d));
            Assert.Equal(d, CryptoHelpers.AesimcSoftware(CryptoHelpers.AesmcSoftware(d)));
        }
    }

    [Fact]
    public void Sha256FourRoundsOfAbc()
    {
        uint[] code =
        [
            0x4ea01c03, // mov v3.16b, v0.16b (old ABCD for SHA256H2)
            0x5e024020, // sha256h q0, q1, v2.4s
            0x5e025061, // sha256h2 q1, q3, v2.4s
        ];
        CpuTestHarness.RunBothTiers(code, h =>
        {
            SetV(h, 0, Words(0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a));
            SetV(h, 1, Words(0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19));
            SetV(h, 2, Words(0xa3ec9318, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5)); // W[t] + K[t], t = 0..3
        }, h =>
        {
            AssertV(h, 0, Words(0xd550f666, 0xc8c347a7, 0x5a6ad9ad, 0x5d6aebcd));
            AssertV(h, 1, Words(0x24e00850, 0xf92939eb, 0x78ce7989, 0xfa2a4622));
        });
    }

    [Fact]
    public void Sha1FourRoundsOfAbc()
    {
        uint[] code =
        [
            0x5e280803, // sha1h s3, s0 (E for the next four rounds: ROL(A, 30))
            0x5e010080, // sha1c q0, s4, v1.4s
        ];
        CpuTestHarness.RunBothTiers(code, h =>
        {
            SetV(h, 0, Words(0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476));
            SetV(h, 4, (0xc3d2e1f0, 0));
            SetV(h, 1, Words(0xbbe4dd19, 0x5a827999, 0x5a827999, 0x5a827999)); // W[t] + K
        }, h =>
        {
            AssertV(h, 0, Words(0xcdd8e11b, 0xa1390f08, 0x626414db, 0xc045bf0c));
            AssertV(h, 3, (0x59d148c0, 0)); // ROL(0x67452301, 30), the E of round 4
        });
    }

    public static TheoryData<string, uint, ulong, ulong> QemuReference() => new()
    {
        // V0 = a, V1 = b, V2 = c, V3 = 0x11223344; each writes V0. Results from qemu-aarch64.
        { "sha1su0", 0x5e023020, 0x2152411035014541UL, 0xe29505e2bda2bbd5UL },
        { "sha1su1", 0x5e281820, 0x85e3492f0d6bc1a7UL, 0xe76ef67fe3852f49UL },
        { "sha256su0", 0x5e282820, 0x23c5791aa92bbc5dUL, 0x6280a5c376d443a1UL },
        { "sha256su1", 0x5e026020, 0x0065457c853356a6UL, 0xd3ed0ec5bf91b6aeUL },
        { "sha1m", 0x5e012060, 0xed1bff53ad7254f9UL, 0x4212a32fb5e55433UL },
        { "sha1p", 0x5e011060, 0xb28c5e76bee09684UL, 0x06e88a27707dca7fUL },
        { "sha512h", 0xce628020, 0x2bbcaa565b78d595UL, 0x200e4048acb09cd9UL },
        { "sha512h2", 0xce628420, 0x5a262497fae2b1f8UL, 0xa0be713e6220f506UL },
        { "sha512su0", 0xcec08020, 0x6f907deb1d5cb34dUL, 0x7e7aef81d7c50c17UL },
        { "sha512su1", 0xce628820, 0x15b3150cc30433bbUL, 0x74c9b4a1102fef46UL },
        { "eor3", 0xce010800, 0xd090d6b4080f1e29UL, 0x6a1d8d6a352a335dUL },
        { "bcax", 0xce210800, 0x0031447788ab8cafUL, 0x7a5c9f2835063350UL },
        { "rax1", 0xce618c00, 0x1f1f1f1f1f1f1f1fUL, 0xf1f1f1f1f1f1f1f1UL },
        { "xar", 0xce813400, 0x24b871eb42de178dUL, 0x9f03ca50f965ac36UL },
        { "pmull", 0x0ee1e000, 0x202ecf1c2f9ac0a8UL, 0x000eef3c0fbae088UL },
        { "pmull2", 0x4ee1e000, 0x5dc48cc82e0cff00UL, 0x7de4ace80e2cdf20UL },
    };

    [Theory]
    [MemberData(nameof(QemuReference))]
    public void MatchesQemu(string name, uint word, ulong low, ulong high)
    {
        _ = name;
        CpuTestHarness.RunBothTiers([word], h =>
        {
            h.SetV(0, 0x0123456789abcdefUL, 0xfedcba9876543210UL);
            h.SetV(1, 0x0f1e2d3c4b5a6978UL, 0x8796a5b4c3d2e1f0UL);
            h.SetV(2, 0xdeadbeefcafebabeUL, 0x1357924680ace0bdUL);
            h.SetV(3, 0x11223344, 0);
        }, h => AssertV(h, 0, (low, high)));
    }

    [Fact]
    public void PmullSoftwareFallbackMatchesQemu()
    {
        var r = CryptoHelpers.ClmulSoftware(0x0123456789abcdefUL, 0x0f1e2d3c4b5a6978UL).AsUInt64();
        Assert.Equal(0x202ecf1c2f9ac0a8UL, r[0]);
        Assert.Equal(0x000eef3c0fbae088UL, r[1]);
    }

    private static readonly byte[] CheckInput = "123456789"u8.ToArray();

    /// <summary>Feeds "123456789" as X ("12345678") then B ("9"), or as H, W, H, B; returns NOT(crc).</summary>
    [Theory]
    [InlineData(false, 0xCBF43926u)]
    [InlineData(true, 0xE3069283u)]
    public void CrcCheckValues(bool castagnoli, uint expected)
    {
        uint c = castagnoli ? 0x10u : 0u; // bit 12 of the CRC32 encodings selects CRC32C
        uint[] bytewise =
        [
            0x38401422, // ldrb w2, [x1], #1
            0x1ac24000 | (c << 8), // crc32(c)b w0, w0, w2
            0xf1000463, // subs x3, x3, #1
            0x54ffffa1, // b.ne -12
            0x2a2003e0, // mvn w0, w0
        ];
        uint[] wide =
        [
            0xf8408422, // ldr x2, [x1], #8
            0x9ac24c00 | (c << 8), // crc32(c)x w0, w0, x2
            0x38401422, // ldrb w2, [x1], #1
            0x1ac24000 | (c << 8), // crc32(c)b w0, w0, w2
            0x2a2003e0, // mvn w0, w0
            0xaa0403e1, // mov x1, x4
            0x12800005, // mov w5, #-1
            0x78402422, // ldrh w2, [x1], #2
            0x1ac244a5 | (c << 8), // crc32(c)h w5, w5, w2
            0xb8404422, // ldr w2, [x1], #4
            0x1ac248a5 | (c << 8), // crc32(c)w w5, w5, w2
            0x78402422, // ldrh w2, [x1], #2
            0x1ac244a5 | (c << 8), // crc32(c)h w5, w5, w2
            0x38401422, // ldrb w2, [x1], #1
            0x1ac240a5 | (c << 8), // crc32(c)b w5, w5, w2
            0x2a2503e5, // mvn w5, w5
        ];
        void Setup(CpuTestHarness h)
        {
            h.Memory.WriteBytes(CpuTestHarness.DataBase, CheckInput);
            h[0] = 0xFFFFFFFF;
            h[1] = h[4] = CpuTestHarness.DataBase;
            h[3] = 9;
        }
        CpuTestHarness.RunBothTiers(bytewise, Setup, h => Assert.Equal(expected, h[0]));
        CpuTestHarness.RunBothTiers(wide, Setup, h =>
        {
            Assert.Equal(expected, h[0]);
            Assert.Equal(expected, h[5]);
        });
    }
}
