namespace Emu.FloatingPoint;

/// <summary>Reciprocal and reciprocal square root estimates (FRECPE, FRSQRTE) and FRECPX.</summary>
public static partial class ArmFloat
{
    /// <summary>RecipEstimate: 9-bit input 256..511 (0.5 &lt;= x &lt; 1 in 1/512 steps) to 256..511.</summary>
    private static int RecipEstimateTable(int a)
    {
        a = a * 2 + 1;
        int b = (1 << 19) / a;
        return (b + 1) / 2;
    }

    /// <summary>RecipSqrtEstimate: input 128..511 (0.25 &lt;= x &lt; 1) to 256..511.</summary>
    private static int RecipSqrtEstimateTable(int a)
    {
        if (a < 256) a = a * 2 + 1;
        else
        {
            a = (a >> 1) << 1;
            a = (a + 1) * 2;
        }
        int b = 512;
        while ((long)a * (b + 1) * (b + 1) < (1L << 28)) b++;
        return (b + 1) / 2;
    }

    /// <summary>FRECPE (FPRecipEstimate).</summary>
    public static ulong RecipEstimate(ulong a, int n, ref FpStatus st)
    {
        a &= Mask(n);
        var x = Unpack(a, n, ref st);
        int f = FracBits(n);
        if (x.IsNaN) return ProcessNaN(x.Type, a, n, ref st);
        if (x.Type == FpType.Infinity) return Zero(x.Sign, n);
        if (x.Type == FpType.Zero)
        {
            st.Raise(FpStatus.Dzc);
            return Infinity(x.Sign, n);
        }
        int expField = (int)((a & ExpMask(n)) >> f);
        ulong fraction = (a & ((1UL << f) - 1)) << (52 - f); // as a 52-bit fraction
        // Inputs so small that the reciprocal overflows: |x| < 2^-(bias+2).
        bool tiny = expField == 0 && (fraction >> 50) == 0;
        if (tiny)
        {
            var r = st.Rounding;
            bool toInf = r == FpRounding.TieEven || (r == FpRounding.PosInf && !x.Sign) || (r == FpRounding.NegInf && x.Sign);
            st.Raise(FpStatus.Ofc | FpStatus.Ixc);
            return toInf ? Infinity(x.Sign, n) : MaxNormal(x.Sign, n);
        }
        // Inputs so large that the reciprocal is tiny: flushed when FZ applies.
        if (st.FlushToZero(n) && expField >= 2 * Bias(n) - 1)
        {
            st.Raise(FpStatus.Ufc);
            return Zero(x.Sign, n);
        }
        int exp = expField;
        if (exp == 0)
        {
            if ((fraction >> 51) == 0)
            {
                exp = -1;
                fraction = (fraction << 2) & ((1UL << 52) - 1);
            }
            else fraction = (fraction << 1) & ((1UL << 52) - 1);
        }
        int scaled = (int)(0x100 | (fraction >> 44));
        int resultExp = 2 * Bias(n) - 1 - exp;
        ulong estimate = (ulong)RecipEstimateTable(scaled);
        ulong outFraction = (estimate & 0xFF) << 44;
        if (resultExp == 0) outFraction = (1UL << 51) | (outFraction >> 1);
        else if (resultExp == -1)
        {
            outFraction = (1UL << 50) | (outFraction >> 2);
            resultExp = 0;
        }
        return Zero(x.Sign, n) | ((ulong)resultExp << f) | (outFraction >> (52 - f));
    }

    /// <summary>FRSQRTE (FPRSqrtEstimate).</summary>
    public static ulong RSqrtEstimate(ulong a, int n, ref FpStatus st)
    {
        a &= Mask(n);
        var x = Unpack(a, n, ref st);
        int f = FracBits(n);
        if (x.IsNaN) return ProcessNaN(x.Type, a, n, ref st);
        if (x.Type == FpType.Zero)
        {
            st.Raise(FpStatus.Dzc);
            return Infinity(x.Sign, n);
        }
        if (x.Sign)
        {
            st.Raise(FpStatus.Ioc);
            return DefaultNaN(n);
        }
        if (x.Type == FpType.Infinity) return Zero(false, n);
        int exp = (int)((a & ExpMask(n)) >> f);
        ulong fraction = (a & ((1UL << f) - 1)) << (52 - f);
        if (exp == 0)
        {
            while ((fraction >> 51) == 0)
            {
                fraction <<= 1;
                exp--;
            }
            fraction = (fraction << 1) & ((1UL << 52) - 1);
        }
        int scaled = (exp & 1) == 0 ? (int)(0x100 | (fraction >> 44)) : (int)(0x80 | (fraction >> 45));
        int resultExp = (3 * Bias(n) - 1 - exp) / 2;
        ulong estimate = (ulong)RecipSqrtEstimateTable(scaled);
        return ((ulong)resultExp << f) | ((estimate & 0xFF) << (f - 8));
    }

    /// <summary>FRECPX: keeps the sign, inverts the exponent, clears the fraction (zero/denormal exponent gives the maximum).</summary>
    public static ulong RecipExponent(ulong a, int n, ref FpStatus st)
    {
        a &= Mask(n);
        var x = Unpack(a, n, ref st);
        if (x.IsNaN) return ProcessNaN(x.Type, a, n, ref st);
        int f = FracBits(n);
        ulong expField = (a & ExpMask(n)) >> f;
        ulong allOnes = (1UL << ExpBits(n)) - 1;
        ulong outExp = expField == 0 ? allOnes - 1 : ~expField & allOnes;
        return Zero(x.Sign, n) | (outExp << f);
    }
}
