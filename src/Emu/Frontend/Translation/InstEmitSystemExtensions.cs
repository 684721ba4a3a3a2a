using Emu.IR;
using Emu.Loader;
using static Emu.Frontend.Translation.InstEmitHelpers;

namespace Emu.Frontend.Translation;

/// <summary>
/// System-space additions: the ID registers EL0 may read (Linux traps and emulates MRS of them; the values
/// here are derived from the advertised HWCAPs so the two never disagree) and FLAGM2 (AXFLAG, XAFLAG).
/// </summary>
public static class InstEmitSystemExtensions
{
    private static bool Has(ulong caps, ulong bit) => (caps & bit) != 0;

    /// <summary>A 4-bit ID field: <paramref name="level2"/> when the second capability is present, else 1 for the first, else 0.</summary>
    private static ulong Level(bool level1, bool level2, int shift) => (level2 ? 2UL : level1 ? 1UL : 0UL) << shift;

    /// <summary>ID_AA64PFR0_EL1: EL0 and EL1 AArch64-only; FP and AdvSIMD fields 0 = implemented, 1 = with half precision.</summary>
    public static ulong IdAa64Pfr0(ulong hwcap) =>
        0x11 | Level(Has(hwcap, HwCaps.HWCAP_FPHP), false, 16) | Level(Has(hwcap, HwCaps.HWCAP_ASIMDHP), false, 20);

    public static ulong IdAa64Isar0(ulong hwcap, ulong hwcap2) =>
        Level(Has(hwcap, HwCaps.HWCAP_AES), Has(hwcap, HwCaps.HWCAP_PMULL), 4) |
        Level(Has(hwcap, HwCaps.HWCAP_SHA1), false, 8) |
        Level(Has(hwcap, HwCaps.HWCAP_SHA2), Has(hwcap, HwCaps.HWCAP_SHA512), 12) |
        Level(Has(hwcap, HwCaps.HWCAP_CRC32), false, 16) |
        Level(false, Has(hwcap, HwCaps.HWCAP_ATOMICS), 20) |
        Level(Has(hwcap, HwCaps.HWCAP_ASIMDRDM), false, 28) |
        Level(Has(hwcap, HwCaps.HWCAP_SHA3), false, 32) |
        Level(Has(hwcap, HwCaps.HWCAP_SM3), false, 36) |
        Level(Has(hwcap, HwCaps.HWCAP_SM4), false, 40) |
        Level(Has(hwcap, HwCaps.HWCAP_ASIMDDP), false, 44) |
        Level(Has(hwcap, HwCaps.HWCAP_ASIMDFHM), false, 48) |
        Level(Has(hwcap, HwCaps.HWCAP_FLAGM), Has(hwcap2, HwCaps.HWCAP2_FLAGM2), 52);

    public static ulong IdAa64Isar1(ulong hwcap, ulong hwcap2) =>
        Level(Has(hwcap, HwCaps.HWCAP_DCPOP), Has(hwcap2, HwCaps.HWCAP2_DCPODP), 0) |
        Level(Has(hwcap, HwCaps.HWCAP_JSCVT), false, 12) |
        Level(Has(hwcap, HwCaps.HWCAP_FCMA), false, 16) |
        Level(Has(hwcap, HwCaps.HWCAP_LRCPC), Has(hwcap, HwCaps.HWCAP_ILRCPC), 20) |
        Level(Has(hwcap2, HwCaps.HWCAP2_FRINT), false, 32) |
        Level(Has(hwcap, HwCaps.HWCAP_SB), false, 36) |
        Level(Has(hwcap2, HwCaps.HWCAP2_BF16), false, 44) |
        Level(Has(hwcap2, HwCaps.HWCAP2_I8MM), false, 52);

    /// <summary>
    /// MRS of op0=3, op1=0, CRn=0 (MIDR_EL1, MPIDR_EL1, REVIDR_EL1 and the ID_* registers). As under Linux,
    /// CRm 0..7 read (unknown ones as zero); the rest is undefined at EL0.
    /// </summary>
    public static void MrsIdRegister(ArmEmitter e, uint w)
    {
        uint crm = Bits(w, 11, 8), op2 = Bits(w, 7, 5);
        // Linux emulates only the AArch64 ID space (CRm 0 and 4..7; in CRm 0 only MIDR, MPIDR, REVIDR);
        // the AArch32 ID registers (CRm 1..3) and the rest stay UNDEFINED at EL0, as under qemu-aarch64.
        bool emulated = crm is >= 4 and <= 7 || (crm == 0 && op2 is 0 or 5 or 6);
        if (!emulated)
        {
            e.Undefined();
            return;
        }
        ulong hwcap = HwCaps.DefaultHwCap, hwcap2 = HwCaps.DefaultHwCap2;
        ulong value = (crm, op2) switch
        {
            (0, 0) => InstEmitSystem.MidrValue,
            (0, 5) => 0x80000000UL, // MPIDR_EL1: uniprocessor-format bit (RES1) only, as Linux reports
            (4, 0) => IdAa64Pfr0(hwcap),
            (6, 0) => IdAa64Isar0(hwcap, hwcap2),
            (6, 1) => IdAa64Isar1(hwcap, hwcap2),
            _ => 0, // REVIDR, PFR1, ZFR0, DFR0, ISAR2, MMFR0-2 and the rest: nothing optional to report
        };
        e.SetX(Rd(w), e.Const(value));
    }

    /// <summary>AXFLAG: Z = Z|V, C = C&amp;!V, N = V = 0 (Arm floating-point condition flags to the external format).</summary>
    [PureHelper]
    public static ulong Axflag(ulong nzcv)
    {
        ulong z = (nzcv >> 30) & 1, c = (nzcv >> 29) & 1, v = (nzcv >> 28) & 1;
        return ((z | v) << 30) | ((c & ~v & 1) << 29);
    }

    /// <summary>XAFLAG: the inverse mapping of <see cref="Axflag"/>.</summary>
    [PureHelper]
    public static ulong Xaflag(ulong nzcv)
    {
        ulong z = (nzcv >> 30) & 1, c = (nzcv >> 29) & 1;
        ulong n = (~c & ~z) & 1, nz = z & c, nc = c | z, nv = (~c & 1) & z;
        return (n << 31) | (nz << 30) | (nc << 29) | (nv << 28);
    }

    public static void AxflagInst(ArmEmitter e, uint w) =>
        e.Ir.SetFlags(e.Call(typeof(InstEmitSystemExtensions), nameof(Axflag), e.Ir.GetFlags()));

    public static void XaflagInst(ArmEmitter e, uint w) =>
        e.Ir.SetFlags(e.Call(typeof(InstEmitSystemExtensions), nameof(Xaflag), e.Ir.GetFlags()));
}
