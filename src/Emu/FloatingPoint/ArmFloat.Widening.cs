namespace Emu.FloatingPoint;

/// <summary>
/// Mixed-width operations: FMLAL/FMLSL (half products accumulated in single, FPMulAddH) and BFloat16
/// (BFCVT's FPConvertBF and the BFDOT/BFMMLA arithmetic of the ARM ARM BFAdd/BFMul/BFRound).
/// </summary>
public static partial class ArmFloat
{
    /// <summary>
    /// A half operand as the exactly equal single (FPUnpack of the half under FZ16, no AHP). NaNs keep their
    /// payload and quiet bit, so the single FPMulAdd picks and quietens the same NaN FPProcessNaNs3H would.
    /// </summary>
    private static ulong WidenHalf(ulong h, bool flush)
    {
        ulong sign = (h >> 15 & 1) << 31;
        uint exp = (uint)(h >> 10) & 0x1F;
        ulong frac = h & 0x3FF;
        if (exp == 0)
        {
            if (frac == 0 || flush) return sign; // FZ16 flushes without IDC
            int shift = 11 - BitLength(frac); // normalise: the leading one goes to bit 10
            return sign | ((ulong)(127 - 14 - shift) << 23) | ((frac << shift) & 0x3FF) << 13;
        }
        if (exp == 0x1F) return sign | 0x7F800000 | frac << 13;
        return sign | ((exp - 15 + 127) << 23) | frac << 13;
    }

    /// <summary>FPMulAddH: addend + op1 * op2 with half multiplicands and a single addend and result, one rounding.</summary>
    public static ulong MulAddWidening(ulong addend, ulong op1, ulong op2, ref FpStatus st)
    {
        bool flush16 = st.FlushToZero(16);
        return MulAdd(addend, WidenHalf(op1, flush16), WidenHalf(op2, flush16), 32, ref st);
    }

    /// <summary>FPConvertBF (BFCVT, BFCVTN): single to BFloat16 with FPCR rounding, FZ, DN and exception flags.</summary>
    public static ulong ConvertToBFloat16(ulong a, ref FpStatus st)
    {
        a &= 0xFFFFFFFF;
        var x = Unpack(a, 32, ref st);
        switch (x.Type)
        {
            case FpType.QNaN:
            case FpType.SNaN:
                if (x.Type == FpType.SNaN) st.Raise(FpStatus.Ioc);
                return (st.DefaultNaN ? DefaultNaN(32) : a | QuietBit(32)) >> 16;
            case FpType.Infinity:
                return Infinity(x.Sign, 32) >> 16;
            case FpType.Zero:
                return Zero(x.Sign, 32) >> 16;
        }
        // BFloat16 is single with 16 fewer fraction bits, denormals included: round the single's magnitude at bit 16.
        ulong magnitude = a & 0x7FFFFFFF, low = magnitude & 0xFFFF, q = magnitude >> 16;
        bool inexact = low != 0;
        var rounding = st.Rounding;
        bool up = rounding switch
        {
            FpRounding.TieEven => low > 0x8000 || (low == 0x8000 && (q & 1) != 0),
            FpRounding.PosInf => inexact && !x.Sign,
            FpRounding.NegInf => inexact && x.Sign,
            _ => false,
        };
        if (magnitude < 0x00800000 && inexact) st.Raise(FpStatus.Ufc); // tiny before rounding
        q += up ? 1UL : 0;
        ulong sign = x.Sign ? 0x8000UL : 0;
        if (q >= 0x7F80)
        {
            // Only a rounding that goes away from zero can carry into the all-ones exponent, so this is infinity.
            st.Raise(FpStatus.Ofc | FpStatus.Ixc);
            return sign | 0x7F80;
        }
        if (inexact) st.Raise(FpStatus.Ixc);
        return sign | q;
    }

    /// <summary>BFUnpack: denormals are zero and every NaN is quiet; no flags.</summary>
    private static FpValue BfUnpack(ulong single)
    {
        var scratch = new FpStatus();
        return Unpack(single & 0xFFFFFFFF, 32, ref scratch, flush: true);
    }

    /// <summary>BFRound: round to odd in single, tiny results flushed to zero, overflow to infinity, no flags.</summary>
    private static ulong BfRound(bool sign, UInt128 mant, int exp, bool sticky)
    {
        var scratch = new FpStatus();
        ulong r = RoundPack(sign, mant, exp, sticky, 32, ref scratch, FpRounding.Odd, flush: true);
        return (scratch.Fpsr & FpStatus.Ofc) != 0 ? Infinity(sign, 32) : r;
    }

    /// <summary>BFMul: the product of two BFloat16 values as a single (BFDOT/BFMMLA behaviour).</summary>
    public static ulong BfMul(ulong a, ulong b)
    {
        var x = BfUnpack(a << 16);
        var y = BfUnpack(b << 16);
        if (x.IsNaN || y.IsNaN) return DefaultNaN(32);
        bool xInf = x.Type == FpType.Infinity, yInf = y.Type == FpType.Infinity;
        bool xZero = x.Type == FpType.Zero, yZero = y.Type == FpType.Zero;
        if ((xInf && yZero) || (xZero && yInf)) return DefaultNaN(32);
        bool sign = x.Sign ^ y.Sign;
        if (xInf || yInf) return Infinity(sign, 32);
        if (xZero || yZero) return Zero(sign, 32);
        return BfRound(sign, (UInt128)x.Mant * y.Mant, x.Exp + y.Exp, false);
    }

    /// <summary>BFAdd: the sum of two singles with BFloat16 computation behaviour.</summary>
    public static ulong BfAdd(ulong a, ulong b)
    {
        var x = BfUnpack(a);
        var y = BfUnpack(b);
        if (x.IsNaN || y.IsNaN) return DefaultNaN(32);
        bool xInf = x.Type == FpType.Infinity, yInf = y.Type == FpType.Infinity;
        if (xInf && yInf && x.Sign != y.Sign) return DefaultNaN(32);
        if ((xInf && !x.Sign) || (yInf && !y.Sign)) return Infinity(false, 32);
        if (xInf || yInf) return Infinity(true, 32);
        bool xZero = x.Type == FpType.Zero, yZero = y.Type == FpType.Zero;
        if (xZero && yZero && x.Sign == y.Sign) return Zero(x.Sign, 32);
        var (sign, mant, exp, sticky) = AddExact(x.Sign, xZero ? 0 : x.Mant, x.Exp, y.Sign, yZero ? 0 : y.Mant, y.Exp);
        if (mant == 0 && !sticky) return Zero(false, 32);
        return BfRound(sign, mant, exp, sticky);
    }

    /// <summary>BFDotAdd: addend + (n1*m1 + n2*m2), each step rounded as BFAdd/BFMul do.</summary>
    public static ulong BfDotAdd(ulong addend, ulong n1, ulong n2, ulong m1, ulong m2) =>
        BfAdd(addend, BfAdd(BfMul(n1, m1), BfMul(n2, m2)));
}
