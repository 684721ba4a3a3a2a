namespace Emu.FloatingPoint;

/// <summary>Operations only AdvSIMD needs: FMULX and FCVTXN (narrowing with round-to-odd).</summary>
public static partial class ArmFloat
{
    /// <summary>FPMulX: like FPMul except that infinity times zero is 2.0 with the product's sign.</summary>
    public static ulong MulX(ulong a, ulong b, int n, ref FpStatus st)
    {
        a &= Mask(n);
        b &= Mask(n);
        var probe = st; // classification only: flags come from the real operation below
        bool flush = st.FlushToZero(n);
        var x = Unpack(a, n, ref probe, flush);
        var y = Unpack(b, n, ref probe, flush);
        if (!x.IsNaN && !y.IsNaN &&
            ((x.Type == FpType.Infinity && y.Type == FpType.Zero) || (x.Type == FpType.Zero && y.Type == FpType.Infinity)))
        {
            st = probe;
            ulong two = (ulong)Bias(n) + 1 << FracBits(n);
            return Zero(x.Sign != y.Sign, n) | two;
        }
        return Mul(a, b, n, ref st);
    }

    /// <summary>FPConvert from double to single with round-to-odd (FCVTXN).</summary>
    public static ulong ConvertDoubleToSingleOdd(ulong a, ref FpStatus st)
    {
        var x = Unpack(a, 64, ref st, st.FlushToZero(64));
        if (x.IsNaN || x.Type is FpType.Infinity or FpType.Zero) return Convert(a, 64, 32, ref st);
        return RoundPack(x.Sign, x.Mant, x.Exp, false, 32, ref st, FpRounding.Odd, st.FlushToZero(32));
    }
}
