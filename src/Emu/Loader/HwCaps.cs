namespace Emu.Loader;

/// <summary>
/// AT_HWCAP / AT_HWCAP2 bits, with the names and values of Linux arch/arm64/include/uapi/asm/hwcap.h.
/// glibc and other guest code pick implementations (string functions, atomics) from these bits, so we
/// advertise only features the front end actually implements.
/// </summary>
public static class HwCaps
{
    public const ulong HWCAP_FP = 1UL << 0;
    public const ulong HWCAP_ASIMD = 1UL << 1;
    public const ulong HWCAP_EVTSTRM = 1UL << 2;
    public const ulong HWCAP_AES = 1UL << 3;
    public const ulong HWCAP_PMULL = 1UL << 4;
    public const ulong HWCAP_SHA1 = 1UL << 5;
    public const ulong HWCAP_SHA2 = 1UL << 6;
    public const ulong HWCAP_CRC32 = 1UL << 7;
    public const ulong HWCAP_ATOMICS = 1UL << 8;
    public const ulong HWCAP_FPHP = 1UL << 9;
    public const ulong HWCAP_ASIMDHP = 1UL << 10;
    public const ulong HWCAP_CPUID = 1UL << 11;
    public const ulong HWCAP_ASIMDRDM = 1UL << 12;
    public const ulong HWCAP_JSCVT = 1UL << 13;
    public const ulong HWCAP_FCMA = 1UL << 14;
    public const ulong HWCAP_LRCPC = 1UL << 15;
    public const ulong HWCAP_DCPOP = 1UL << 16;
    public const ulong HWCAP_SHA3 = 1UL << 17;
    public const ulong HWCAP_SM3 = 1UL << 18;
    public const ulong HWCAP_SM4 = 1UL << 19;
    public const ulong HWCAP_ASIMDDP = 1UL << 20;
    public const ulong HWCAP_SHA512 = 1UL << 21;
    public const ulong HWCAP_SVE = 1UL << 22;
    public const ulong HWCAP_ASIMDFHM = 1UL << 23;
    public const ulong HWCAP_DIT = 1UL << 24;
    public const ulong HWCAP_USCAT = 1UL << 25;
    public const ulong HWCAP_ILRCPC = 1UL << 26;
    public const ulong HWCAP_FLAGM = 1UL << 27;
    public const ulong HWCAP_SSBS = 1UL << 28;
    public const ulong HWCAP_SB = 1UL << 29;
    public const ulong HWCAP_PACA = 1UL << 30;
    public const ulong HWCAP_PACG = 1UL << 31;

    public const ulong HWCAP2_DCPODP = 1UL << 0;
    public const ulong HWCAP2_SVE2 = 1UL << 1;
    public const ulong HWCAP2_SVEAES = 1UL << 2;
    public const ulong HWCAP2_SVEPMULL = 1UL << 3;
    public const ulong HWCAP2_SVEBITPERM = 1UL << 4;
    public const ulong HWCAP2_SVESHA3 = 1UL << 5;
    public const ulong HWCAP2_SVESM4 = 1UL << 6;
    public const ulong HWCAP2_FLAGM2 = 1UL << 7;
    public const ulong HWCAP2_FRINT = 1UL << 8;
    public const ulong HWCAP2_SVEI8MM = 1UL << 9;
    public const ulong HWCAP2_SVEF32MM = 1UL << 10;
    public const ulong HWCAP2_SVEF64MM = 1UL << 11;
    public const ulong HWCAP2_SVEBF16 = 1UL << 12;
    public const ulong HWCAP2_I8MM = 1UL << 13;
    public const ulong HWCAP2_BF16 = 1UL << 14;
    public const ulong HWCAP2_DGH = 1UL << 15;
    public const ulong HWCAP2_RNG = 1UL << 16;
    public const ulong HWCAP2_BTI = 1UL << 17;
    public const ulong HWCAP2_MTE = 1UL << 18;
    public const ulong HWCAP2_ECV = 1UL << 19;
    public const ulong HWCAP2_AFP = 1UL << 20;
    public const ulong HWCAP2_RPRES = 1UL << 21;
    public const ulong HWCAP2_MTE3 = 1UL << 22;
    public const ulong HWCAP2_SME = 1UL << 23;
    public const ulong HWCAP2_SME_I16I64 = 1UL << 24;
    public const ulong HWCAP2_SME_F64F64 = 1UL << 25;
    public const ulong HWCAP2_SME_I8I32 = 1UL << 26;
    public const ulong HWCAP2_SME_F16F32 = 1UL << 27;
    public const ulong HWCAP2_SME_B16F32 = 1UL << 28;
    public const ulong HWCAP2_SME_F32F32 = 1UL << 29;
    public const ulong HWCAP2_SME_FA64 = 1UL << 30;
    public const ulong HWCAP2_WFXT = 1UL << 31;
    public const ulong HWCAP2_EBF16 = 1UL << 32;
    public const ulong HWCAP2_SVE_EBF16 = 1UL << 33;

    /// <summary>
    /// Features the front end implements and that are always advertised: FP, AdvSIMD, the crypto extension
    /// (AES, PMULL, SHA1, SHA2, SHA512, SHA3), CRC32, LSE atomics, MRS of the ID registers (CPUID), RCpc
    /// loads (LRCPC, ILRCPC), DC CVAP (DCPOP), FLAGM and SB. SVE, PAC and the rest stay clear so guest code
    /// takes other paths.
    /// </summary>
    public const ulong BaseHwCap = HWCAP_FP | HWCAP_ASIMD | HWCAP_AES | HWCAP_PMULL | HWCAP_SHA1 | HWCAP_SHA2 |
        HWCAP_CRC32 | HWCAP_ATOMICS | HWCAP_CPUID | HWCAP_LRCPC | HWCAP_DCPOP | HWCAP_SHA3 | HWCAP_SHA512 |
        HWCAP_ILRCPC | HWCAP_FLAGM | HWCAP_SB;

    /// <summary>DC CVADP (DCPODP) and AXFLAG/XAFLAG (FLAGM2).</summary>
    public const ulong BaseHwCap2 = HWCAP2_DCPODP | HWCAP2_FLAGM2;

    /// <summary>
    /// Extensions owned by other areas of the front end, advertised once their encoding group is in the
    /// table (each group holds the whole extension): RDM, dot product, FJCVTZS, complex numbers, half
    /// precision (scalar FPHP and vector ASIMDHP go together, as Linux requires), FP16 multiply-long (FHM).
    /// </summary>
    public static readonly (ulong HwCap, string Group)[] TableDerived =
    [
        (HWCAP_ASIMDRDM, "rdm"),
        (HWCAP_ASIMDDP, "dotprod"),
        (HWCAP_JSCVT, "jscvt"),
        (HWCAP_FCMA, "fcma"),
        (HWCAP_FPHP | HWCAP_ASIMDHP, "fp16"),
        (HWCAP_ASIMDFHM, "fhm"),
        (HWCAP_SM3, "sm3"),
        (HWCAP_SM4, "sm4"),
    ];

    /// <summary>The AT_HWCAP2 counterpart of <see cref="TableDerived"/>: FRINT32/64 (FRINTTS), BFloat16, int8 matrix multiply.</summary>
    public static readonly (ulong HwCap, string Group)[] TableDerived2 =
    [
        (HWCAP2_FRINT, "frintts"),
        (HWCAP2_BF16, "bf16"),
        (HWCAP2_I8MM, "i8mm"),
    ];

    /// <summary>What we advertise by default (AT_HWCAP): <see cref="BaseHwCap"/> plus the table-derived extensions present.</summary>
    public static readonly ulong DefaultHwCap = BaseHwCap | FromTable(TableDerived);

    public static readonly ulong DefaultHwCap2 = BaseHwCap2 | FromTable(TableDerived2);

    private static ulong FromTable((ulong HwCap, string Group)[] derived)
    {
        var groups = Emu.Frontend.Decoder.A64Encodings.All.Select(e => e.Group).ToHashSet();
        ulong caps = 0;
        foreach (var (cap, group) in derived)
            if (groups.Contains(group)) caps |= cap;
        return caps;
    }
}
