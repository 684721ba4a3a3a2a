using Emu.Frontend.Decoder;
using Emu.Loader;
using Emu.Tests.Support;

namespace Emu.Tests.Crypto;

/// <summary>MRS of the ID registers, FLAGM2, and the advertised HWCAPs against the encoding table.</summary>
public class SystemExtensionTests
{
    [Fact]
    public void IdRegistersReportTheImplementedExtensions()
    {
        uint[] code =
        [
            0xd5380600, // mrs x0, id_aa64isar0_el1
            0xd5380621, // mrs x1, id_aa64isar1_el1
            0xd5380002, // mrs x2, midr_el1
            0xd5380703, // mrs x3, id_aa64mmfr0_el1
        ];
        CpuTestHarness.RunBothTiers(code, h => h[3] = 0x1234, h =>
        {
            ulong isar0 = h[0];
            Assert.Equal(2UL, (isar0 >> 4) & 15); // AES + PMULL
            Assert.Equal(1UL, (isar0 >> 8) & 15); // SHA1
            Assert.Equal(2UL, (isar0 >> 12) & 15); // SHA256 + SHA512
            Assert.Equal(1UL, (isar0 >> 16) & 15); // CRC32
            Assert.Equal(2UL, (isar0 >> 20) & 15); // LSE atomics
            Assert.Equal(1UL, (isar0 >> 32) & 15); // SHA3
            Assert.Equal(1UL, (isar0 >> 36) & 15); // SM3
            Assert.Equal(1UL, (isar0 >> 40) & 15); // SM4
            Assert.Equal(1UL, (h[1] >> 16) & 15); // FCMA
            Assert.Equal(1UL, (h[1] >> 52) & 15); // I8MM
            Assert.Equal(2UL, (isar0 >> 52) & 15); // FLAGM2
            Assert.Equal(2UL, (h[1] >> 20) & 15); // LRCPC with LDAPUR
            Assert.Equal(0x411FD070UL, h[2]);
            Assert.Equal(0UL, h[3]);
            Assert.Equal(Emu.Cpu.ExitReason.Breakpoint, h.StopReason);
        });
    }

    /// <summary>Outside the AArch64 ID space Linux emulates (CRm 0 and 4..7), MRS stays UNDEFINED at EL0;
    /// qemu-aarch64 raises SIGILL for these too.</summary>
    [Theory]
    [InlineData(0xd5380107u)] // mrs x7, id_pfr0_el1 (AArch32 ID register, CRm 1)
    [InlineData(0xd53802a5u)] // mrs x5, id_isar5_el1 (CRm 2)
    [InlineData(0xd5380312u)] // mrs x18, mvfr0_el1 (CRm 3)
    [InlineData(0xd5380040u)] // mrs x0, s3_0_c0_c0_2 (CRm 0, not MIDR/MPIDR/REVIDR)
    public void IdRegistersOutsideTheEmulatedSpaceAreUndefined(uint word)
    {
        CpuTestHarness.RunBothTiers([word], _ => { }, h => Assert.Equal(Emu.Cpu.ExitReason.Undefined, h.StopReason));
    }

    [Theory]
    [InlineData(0xd500405fu, 0xB0000000UL, 0x40000000UL)] // axflag: N C V -> Z
    [InlineData(0xd500405fu, 0x20000000UL, 0x20000000UL)] // axflag: C stays when V clear
    [InlineData(0xd500403fu, 0x40000000UL, 0x30000000UL)] // xaflag: Z -> C V
    [InlineData(0xd500403fu, 0x00000000UL, 0x80000000UL)] // xaflag: nothing -> N
    [InlineData(0xd500403fu, 0x60000000UL, 0x60000000UL)] // xaflag: Z C -> Z C
    public void FlagConversions(uint word, ulong before, ulong after)
    {
        CpuTestHarness.RunBothTiers([word], h => h.Nzcv = before, h => Assert.Equal(after, h.Nzcv));
    }

    [Theory]
    [InlineData(HwCaps.HWCAP_AES, "aes")]
    [InlineData(HwCaps.HWCAP_PMULL, "pmull")]
    [InlineData(HwCaps.HWCAP_SHA1, "sha1")]
    [InlineData(HwCaps.HWCAP_SHA2, "sha2")]
    [InlineData(HwCaps.HWCAP_SHA512, "sha512")]
    [InlineData(HwCaps.HWCAP_SHA3, "sha3")]
    [InlineData(HwCaps.HWCAP_CRC32, "crc32")]
    [InlineData(HwCaps.HWCAP_ATOMICS, "lse")]
    [InlineData(HwCaps.HWCAP_LRCPC, "rcpc")]
    [InlineData(HwCaps.HWCAP_FLAGM, "flagm")]
    public void AdvertisedHwCapsHaveTheirEncodings(ulong hwcap, string group)
    {
        Assert.NotEqual(0UL, HwCaps.DefaultHwCap & hwcap);
        Assert.Contains(A64Encodings.All, e => e.Group == group);
    }

    [Fact]
    public void TableDerivedHwCapsFollowTheTable()
    {
        foreach (var (cap, group) in HwCaps.TableDerived)
            Assert.Equal(A64Encodings.All.Any(e => e.Group == group), (HwCaps.DefaultHwCap & cap) != 0);
        foreach (var (cap, group) in HwCaps.TableDerived2)
            Assert.Equal(A64Encodings.All.Any(e => e.Group == group), (HwCaps.DefaultHwCap2 & cap) != 0);
    }

    [Fact]
    public void ComplexSmAndInt8MatrixAreAdvertisedWithTheirEncodings()
    {
        ulong caps = HwCaps.HWCAP_FCMA | HwCaps.HWCAP_SM3 | HwCaps.HWCAP_SM4;
        Assert.Equal(caps, HwCaps.DefaultHwCap & caps);
        Assert.NotEqual(0UL, HwCaps.DefaultHwCap2 & HwCaps.HWCAP2_I8MM);
        foreach (string name in new[] { "FCMLA_vec", "FCADD_vec", "FCMLA_elem", "SM3SS1", "SM3PARTW2", "SM4E", "SM4EKEY", "SMMLA", "USDOT_elem", "SUDOT_elem" })
            Assert.Contains(A64Encodings.All, e => e.Name == name);
    }

    [Fact]
    public void Flagm2IsAdvertisedWithItsEncodings()
    {
        Assert.NotEqual(0UL, HwCaps.DefaultHwCap2 & HwCaps.HWCAP2_FLAGM2);
        Assert.Contains(A64Encodings.All, e => e.Name == "AXFLAG");
        Assert.Contains(A64Encodings.All, e => e.Name == "XAFLAG");
    }

    [Fact]
    public void UnimplementedExtensionsAreNotAdvertised()
    {
        ulong absent = HwCaps.HWCAP_SVE | HwCaps.HWCAP_PACA | HwCaps.HWCAP_PACG | HwCaps.HWCAP_EVTSTRM | HwCaps.HWCAP_USCAT;
        Assert.Equal(0UL, HwCaps.DefaultHwCap & absent);
        Assert.Equal(0UL, HwCaps.DefaultHwCap2 & (HwCaps.HWCAP2_SVE2 | HwCaps.HWCAP2_SVEI8MM | HwCaps.HWCAP2_SVEBF16));
    }
}
