namespace Emu.FloatingPoint;

/// <summary>ARM FP rounding modes: the first four are FPCR.RMode values.</summary>
public enum FpRounding
{
    TieEven = 0,
    PosInf = 1,
    NegInf = 2,
    Zero = 3,
    TieAway = 4,
    Odd = 5,
}

/// <summary>
/// The FP control (read) and status (cumulative flags, written) registers an ARM FP operation works with.
/// Callers copy FPCR/FPSR from the CPU context in and FPSR back out.
/// </summary>
public struct FpStatus
{
    public ulong Fpcr;
    public ulong Fpsr;

    // FPSR cumulative exception bits.
    public const ulong Ioc = 1UL << 0;
    public const ulong Dzc = 1UL << 1;
    public const ulong Ofc = 1UL << 2;
    public const ulong Ufc = 1UL << 3;
    public const ulong Ixc = 1UL << 4;
    public const ulong Idc = 1UL << 7;

    // FPCR control bits.
    public const ulong Fz16Bit = 1UL << 19;
    public const ulong FzBit = 1UL << 24;
    public const ulong DnBit = 1UL << 25;
    public const ulong AhpBit = 1UL << 26;
    public const int RModeShift = 22;

    /// <summary>FPCR bits that make an operation leave the host-arithmetic fast path.</summary>
    public const ulong SlowPathBits = (3UL << RModeShift) | FzBit | DnBit;

    public FpStatus(ulong fpcr, ulong fpsr)
    {
        Fpcr = fpcr;
        Fpsr = fpsr;
    }

    public readonly FpRounding Rounding => (FpRounding)((Fpcr >> RModeShift) & 3);
    public readonly bool DefaultNaN => (Fpcr & DnBit) != 0;

    /// <summary>Flush-to-zero for the format of width <paramref name="n"/> (FZ16 for half).</summary>
    public readonly bool FlushToZero(int n) => (Fpcr & (n == 16 ? Fz16Bit : FzBit)) != 0;

    public void Raise(ulong flags) => Fpsr |= flags;
}
