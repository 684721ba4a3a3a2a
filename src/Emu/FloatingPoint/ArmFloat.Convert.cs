namespace Emu.FloatingPoint;

/// <summary>Round to integral, FP to/from integer and fixed point, and format conversions.</summary>
public static partial class ArmFloat
{
    /// <summary>FPRoundInt (FRINTN/A/P/M/Z/X/I): with <paramref name="exact"/> (FRINTX) an inexact result raises IXC.</summary>
    public static ulong RoundToIntegral(ulong a, int n, FpRounding rounding, bool exact, ref FpStatus st)
    {
        a &= Mask(n);
        var x = Unpack(a, n, ref st);
        if (x.IsNaN) return ProcessNaN(x.Type, a, n, ref st);
        if (x.Type == FpType.Infinity) return Infinity(x.Sign, n);
        if (x.Type == FpType.Zero) return Zero(x.Sign, n);
        if (x.Exp >= 0) return a; // already an integer
        UInt128 q = RoundMagnitude(x.Mant, -x.Exp, x.Sign, rounding, out bool inexact);
        if (inexact && exact) st.Raise(FpStatus.Ixc);
        return q == 0 ? Zero(x.Sign, n) : FromInteger(x.Sign, q, n);
    }

    /// <summary>
    /// FPRoundIntN (FRINT32Z/32X/64Z/64X): round to an integral value that fits a signed <paramref name="intBits"/>-bit
    /// integer; NaN, infinity and out-of-range inputs give -2^(intBits-1) with IOC.
    /// </summary>
    public static ulong RoundToIntN(ulong a, int n, int intBits, FpRounding rounding, ref FpStatus st)
    {
        a &= Mask(n);
        var x = Unpack(a, n, ref st);
        ulong mostNegative = FromInteger(true, UInt128.One << (intBits - 1), n);
        if (x.IsNaN || x.Type == FpType.Infinity)
        {
            st.Raise(FpStatus.Ioc);
            return mostNegative;
        }
        if (x.Type == FpType.Zero) return Zero(x.Sign, n);
        bool inexact = false;
        UInt128 q = x.Exp >= 0
            ? (x.Exp + BitLength(x.Mant) > intBits + 1 ? UInt128.One << (intBits + 1) : (UInt128)x.Mant << x.Exp)
            : RoundMagnitude(x.Mant, -x.Exp, x.Sign, rounding, out inexact);
        UInt128 limit = UInt128.One << (intBits - 1);
        if (x.Sign ? q > limit : q >= limit)
        {
            st.Raise(FpStatus.Ioc);
            return mostNegative;
        }
        if (inexact) st.Raise(FpStatus.Ixc);
        return q == 0 ? Zero(x.Sign, n) : FromInteger(x.Sign, q, n);
    }

    /// <summary>
    /// FPToFixed (FCVT[NAPMZ][SU], fixed-point FCVTZS/U): the value times 2^fbits rounded to an integer of
    /// <paramref name="intBits"/> (32/64) bits, saturating with IOC; NaN gives 0 with IOC. Result zero-extended.
    /// </summary>
    public static ulong ToFixed(ulong a, int n, int fbits, bool isUnsigned, int intBits, FpRounding rounding, ref FpStatus st)
    {
        a &= Mask(n);
        var x = Unpack(a, n, ref st);
        if (x.IsNaN)
        {
            st.Raise(FpStatus.Ioc);
            return 0;
        }
        if (x.Type == FpType.Zero) return 0;
        bool inexact = false;
        UInt128 q;
        bool huge;
        if (x.Type == FpType.Infinity)
        {
            q = 0;
            huge = true;
        }
        else
        {
            int e = x.Exp + fbits;
            huge = e >= 0 && e + BitLength(x.Mant) > 66;
            q = huge ? 0 : RoundMagnitude(x.Mant, -e, x.Sign, rounding, out inexact);
        }
        ulong result;
        bool overflow;
        if (isUnsigned)
        {
            UInt128 max = (UInt128.One << intBits) - 1;
            if (x.Sign && (huge || q != 0))
            {
                overflow = true;
                result = 0;
            }
            else if (huge || q > max)
            {
                overflow = true;
                result = (ulong)max;
            }
            else
            {
                overflow = false;
                result = (ulong)q;
            }
        }
        else
        {
            UInt128 limit = UInt128.One << (intBits - 1);
            if (x.Sign ? huge || q > limit : huge || q >= limit)
            {
                overflow = true;
                result = x.Sign ? (ulong)(-(long)(ulong)limit) : (ulong)limit - 1;
            }
            else
            {
                overflow = false;
                result = x.Sign ? (ulong)-(long)(ulong)q : (ulong)q;
            }
        }
        if (overflow) st.Raise(FpStatus.Ioc);
        else if (inexact) st.Raise(FpStatus.Ixc);
        return intBits == 64 ? result : result & 0xFFFFFFFF;
    }

    /// <summary>FixedToFP (SCVTF/UCVTF, optionally fixed-point): the <paramref name="intBits"/>-bit integer divided by 2^fbits, rounded.</summary>
    public static ulong FromFixed(ulong value, int intBits, int fbits, bool isUnsigned, int n, FpRounding rounding, ref FpStatus st)
    {
        if (intBits == 32) value = isUnsigned ? value & 0xFFFFFFFF : (ulong)(long)(int)value;
        else if (intBits == 16) value = isUnsigned ? value & 0xFFFF : (ulong)(long)(short)value;
        bool sign = !isUnsigned && (long)value < 0;
        ulong magnitude = sign ? (ulong)-(long)value : value;
        if (magnitude == 0) return 0;
        if (fbits == 0 && n == 64 && magnitude < (1UL << 53)) // exact: no rounding needed
        {
            double d = magnitude;
            return Bits(sign ? -d : d);
        }
        return RoundPack(sign, magnitude, -fbits, false, n, ref st, rounding, st.FlushToZero(n));
    }

    /// <summary>FPConvert (FCVT between half, single and double) with FPCR rounding; FPCR.AHP selects the
    /// alternative half-precision format (no infinities or NaNs, exponent 31 is a normal exponent).</summary>
    public static ulong Convert(ulong a, int fromN, int toN, ref FpStatus st)
    {
        a &= Mask(fromN);
        bool altHalf = (st.Fpcr & FpStatus.AhpBit) != 0;
        if (altHalf && fromN == 16 && ((a >> 10) & 0x1F) == 0x1F)
        {
            // Alternative half: exponent 31 is a normal number up to 131008, exact in single and double.
            return RoundPack((a & 0x8000) != 0, (a & 0x3FF) | 0x400, 31 - 15 - 10, false, toN, ref st, st.Rounding, false);
        }
        if (altHalf && toN == 16) return ConvertToAltHalf(a, fromN, ref st);
        // Half inputs are not flushed (FPUnpackCV); half outputs ignore FZ16 (FPRoundCV).
        var x = Unpack(a, fromN, ref st, fromN != 16 && st.FlushToZero(fromN));
        if (x.IsNaN)
        {
            if (x.Type == FpType.SNaN) st.Raise(FpStatus.Ioc);
            if (st.DefaultNaN) return DefaultNaN(toN);
            ulong payload = a & (QuietBit(fromN) - 1); // fraction below the quiet bit
            int fFrom = FracBits(fromN) - 1, fTo = FracBits(toN) - 1;
            payload = fTo >= fFrom ? payload << (fTo - fFrom) : payload >> (fFrom - fTo);
            return Zero(x.Sign, toN) | DefaultNaN(toN) | payload;
        }
        if (x.Type == FpType.Infinity) return Infinity(x.Sign, toN);
        if (x.Type == FpType.Zero) return Zero(x.Sign, toN);
        return RoundPack(x.Sign, x.Mant, x.Exp, false, toN, ref st, st.Rounding, toN != 16 && st.FlushToZero(toN));
    }

    /// <summary>FPConvert to the alternative half-precision format (FPCR.AHP = 1): NaN gives zero and
    /// infinity or overflow gives the largest magnitude, each raising only Invalid Operation.</summary>
    private static ulong ConvertToAltHalf(ulong a, int fromN, ref FpStatus st)
    {
        var x = Unpack(a, fromN, ref st, st.FlushToZero(fromN));
        ulong sign = x.Sign ? 0x8000UL : 0;
        if (x.IsNaN)
        {
            st.Raise(FpStatus.Ioc);
            return sign;
        }
        if (x.Type == FpType.Infinity)
        {
            st.Raise(FpStatus.Ioc);
            return sign | 0x7FFF;
        }
        if (x.Type == FpType.Zero) return sign;
        if (x.Exp + BitLength((ulong)x.Mant) - 1 < 15)
            return RoundPack(x.Sign, x.Mant, x.Exp, false, 16, ref st, st.Rounding, false); // IEEE half range
        // |x| >= 2^15: round x/2 as IEEE half (same precision, exact halving), then raise the exponent by one.
        var scaled = new FpStatus(st.Fpcr, 0);
        ulong half = RoundPack(x.Sign, x.Mant, x.Exp - 1, false, 16, ref scaled, st.Rounding, false);
        if ((scaled.Fpsr & FpStatus.Ofc) != 0)
        {
            st.Raise(FpStatus.Ioc); // rounded magnitude >= 2^17: beyond the alternative format
            return sign | 0x7FFF;
        }
        st.Raise(scaled.Fpsr);
        return half + 0x400;
    }

    /// <summary>
    /// FJCVTZS: double to int32 rounding toward zero, modulo 2^32 (JavaScript ToInt32). <paramref name="exact"/> is the
    /// Z flag: the conversion was exact and in range (and not -0.0).
    /// </summary>
    public static ulong ToInt32Js(ulong a, ref FpStatus st, out bool exact)
    {
        var x = Unpack(a, 64, ref st);
        exact = true;
        if (x.IsNaN || x.Type == FpType.Infinity)
        {
            st.Raise(FpStatus.Ioc);
            exact = false;
            return 0;
        }
        if (x.Type == FpType.Zero)
        {
            // -0.0 and a flushed denormal are not exact conversions to 0.
            if (x.Sign || (a & ((1UL << 52) - 1)) != 0) exact = false;
            return 0;
        }
        bool inexact = false;
        ulong low;
        bool inRange;
        if (x.Exp >= 0)
        {
            low = x.Exp >= 64 ? 0 : x.Mant << x.Exp;
            inRange = x.Exp + BitLength(x.Mant) <= 32 && (x.Sign ? low <= 1UL << 31 : low < 1UL << 31);
        }
        else
        {
            UInt128 q = RoundMagnitude(x.Mant, -x.Exp, x.Sign, FpRounding.Zero, out inexact);
            low = (ulong)q;
            inRange = x.Sign ? q <= 1UL << 31 : q < 1UL << 31;
        }
        if (x.Sign) low = (ulong)-(long)low;
        if (!inRange)
        {
            st.Raise(FpStatus.Ioc);
            exact = false;
        }
        else if (inexact)
        {
            st.Raise(FpStatus.Ixc);
            exact = false;
        }
        return low & 0xFFFFFFFF;
    }
}
