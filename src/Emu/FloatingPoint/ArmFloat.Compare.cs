namespace Emu.FloatingPoint;

/// <summary>Comparisons, maximum and minimum.</summary>
public static partial class ArmFloat
{
    /// <summary>Signed order of two non-NaN unpacked operands: -1, 0 or 1.</summary>
    private static int CompareValues(in FpValue x, ulong a, in FpValue y, ulong b, int n)
    {
        // Same format and no NaNs: the magnitude orders like the bit pattern; a flushed denormal counts as zero.
        long mx = x.Type == FpType.Zero ? 0 : (long)(a & ~SignBit(n) & Mask(n));
        long my = y.Type == FpType.Zero ? 0 : (long)(b & ~SignBit(n) & Mask(n));
        long vx = x.Sign ? -mx : mx, vy = y.Sign ? -my : my;
        return vx.CompareTo(vy);
    }

    /// <summary>
    /// FPCompare: NZCV (in bits 31:28) for FCMP/FCMPE; unordered is 0011. Signalling NaNs raise IOC,
    /// and with <paramref name="signalAllNaNs"/> (FCMPE) quiet NaNs do too.
    /// </summary>
    public static ulong Compare(ulong a, ulong b, int n, bool signalAllNaNs, ref FpStatus st)
    {
        a &= Mask(n);
        b &= Mask(n);
        var x = Unpack(a, n, ref st);
        var y = Unpack(b, n, ref st);
        if (x.IsNaN || y.IsNaN)
        {
            if (x.Type == FpType.SNaN || y.Type == FpType.SNaN || signalAllNaNs) st.Raise(FpStatus.Ioc);
            return 0b0011UL << 28;
        }
        int c = CompareValues(x, a, y, b, n);
        return (c == 0 ? 0b0110UL : c < 0 ? 0b1000UL : 0b0010UL) << 28;
    }

    public static ulong Max(ulong a, ulong b, int n, ref FpStatus st) => MaxMin(a, b, n, true, ref st);

    public static ulong Min(ulong a, ulong b, int n, ref FpStatus st) => MaxMin(a, b, n, false, ref st);

    private static ulong MaxMin(ulong a, ulong b, int n, bool max, ref FpStatus st)
    {
        a &= Mask(n);
        b &= Mask(n);
        var x = Unpack(a, n, ref st);
        var y = Unpack(b, n, ref st);
        if (ProcessNaNs(x, y, a, b, n, ref st, out ulong nan)) return nan;
        int c = CompareValues(x, a, y, b, n);
        bool first = max ? c > 0 : c < 0;
        var v = first ? x : y;
        if (v.Type == FpType.Zero) return Zero(max ? x.Sign && y.Sign : x.Sign || y.Sign, n);
        return first ? a : b;
    }

    /// <summary>FMAXNM: a single quiet NaN loses to a number (it is read as -infinity).</summary>
    public static ulong MaxNum(ulong a, ulong b, int n, ref FpStatus st) => MaxMinNum(a, b, n, true, ref st);

    /// <summary>FMINNM: a single quiet NaN loses to a number (it is read as +infinity).</summary>
    public static ulong MinNum(ulong a, ulong b, int n, ref FpStatus st) => MaxMinNum(a, b, n, false, ref st);

    private static ulong MaxMinNum(ulong a, ulong b, int n, bool max, ref FpStatus st)
    {
        a &= Mask(n);
        b &= Mask(n);
        // Classify without side effects: Max/Min below unpacks (and flags) again.
        var scratch = new FpStatus(st.Fpcr, 0);
        var x = Unpack(a, n, ref scratch);
        var y = Unpack(b, n, ref scratch);
        bool qx = x.Type == FpType.QNaN, qy = y.Type == FpType.QNaN;
        if (qx && !qy) a = Infinity(max, n);
        else if (!qx && qy) b = Infinity(max, n);
        return MaxMin(a, b, n, max, ref st);
    }
}
