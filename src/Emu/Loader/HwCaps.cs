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
    public static readonly DerivedHwCap[] TableDerived =
    [
        new(HWCAP_ASIMDRDM, "rdm"),
        new(HWCAP_ASIMDDP, "dotprod"),
        new(HWCAP_JSCVT, "jscvt"),
        new(HWCAP_FCMA, "fcma"),
        new(HWCAP_FPHP | HWCAP_ASIMDHP, "fp16"),
        new(HWCAP_ASIMDFHM, "fhm"),
        new(HWCAP_SM3, "sm3"),
        new(HWCAP_SM4, "sm4"),
    ];

    /// <summary>The AT_HWCAP2 counterpart of <see cref="TableDerived"/>: FRINT32/64 (FRINTTS), BFloat16, int8 matrix multiply.</summary>
    public static readonly DerivedHwCap[] TableDerived2 =
    [
        new(HWCAP2_FRINT, "frintts"),
        new(HWCAP2_BF16, "bf16"),
        new(HWCAP2_I8MM, "i8mm"),
    ];

    /// <summary>What we advertise by default (AT_HWCAP): <see cref="BaseHwCap"/> plus the table-derived extensions present.</summary>
    public static readonly ulong DefaultHwCap = BaseHwCap | FromTable(TableDerived);

    public static readonly ulong DefaultHwCap2 = BaseHwCap2 | FromTable(TableDerived2);

    // Feature names by bit, as arch/arm64/kernel/cpuinfo.c prints them.
    private static readonly string[] s_hwcapNames =
    [
        "fp", "asimd", "evtstrm", "aes", "pmull", "sha1", "sha2", "crc32", "atomics", "fphp", "asimdhp", "cpuid",
        "asimdrdm", "jscvt", "fcma", "lrcpc", "dcpop", "sha3", "sm3", "sm4", "asimddp", "sha512", "sve", "asimdfhm",
        "dit", "uscat", "ilrcpc", "flagm", "ssbs", "sb", "paca", "pacg",
    ];

    private static readonly string[] s_hwcap2Names =
    [
        "dcpodp", "sve2", "sveaes", "svepmull", "svebitperm", "svesha3", "svesm4", "flagm2", "frint", "svei8mm",
        "svef32mm", "svef64mm", "svebf16", "i8mm", "bf16", "dgh", "rng", "bti", "mte", "ecv", "afp", "rpres", "mte3",
        "sme", "smei16i64", "smef64f64", "smei8i32", "smef16f32", "smeb16f32", "smef32f32", "smefa64", "wfxt", "ebf16",
        "sveebf16",
    ];

    /// <summary>The "Features" names of /proc/cpuinfo for these capabilities, HWCAP bits then HWCAP2 bits.</summary>
    public static IEnumerable<string> FeatureNames(ulong hwcap, ulong hwcap2)
    {
        for (int i = 0; i < s_hwcapNames.Length; i++)
            if ((hwcap & (1UL << i)) != 0) yield return s_hwcapNames[i];
        for (int i = 0; i < s_hwcap2Names.Length; i++)
            if ((hwcap2 & (1UL << i)) != 0) yield return s_hwcap2Names[i];
    }

    /// <summary>/proc/cpuinfo in the arm64 Linux format: one block per processor describing <paramref name="midr"/>.</summary>
    public static string CpuInfo(ulong hwcap, ulong hwcap2, ulong midr, int processors)
    {
        var sb = new System.Text.StringBuilder();
        string features = string.Join(' ', FeatureNames(hwcap, hwcap2));
        for (int p = 0; p < processors; p++)
        {
            sb.Append($"processor\t: {p}\n");
            sb.Append("BogoMIPS\t: 50.00\n");
            sb.Append($"Features\t: {features}\n");
            sb.Append($"CPU implementer\t: 0x{(midr >> 24) & 0xFF:x2}\n");
            sb.Append("CPU architecture: 8\n");
            sb.Append($"CPU variant\t: 0x{(midr >> 20) & 0xF:x}\n");
            sb.Append($"CPU part\t: 0x{(midr >> 4) & 0xFFF:x3}\n");
            sb.Append($"CPU revision\t: {midr & 0xF}\n\n");
        }
        return sb.ToString();
    }

    private static ulong FromTable(DerivedHwCap[] derived)
    {
        ulong caps = 0;
        foreach (var (cap, group) in derived)
            foreach (var e in Emu.Frontend.Decoder.A64Encodings.All)
                if (e.Group == group)
                {
                    caps |= cap;
                    break;
                }
        return caps;
    }
}

/// <summary>An AT_HWCAP bit set advertised when encoding group <see cref="Group"/> is in the table (our own type:
/// a tuple of ulong and string would be JIT-compiled at start-up).</summary>
public readonly record struct DerivedHwCap(ulong HwCap, string Group);
