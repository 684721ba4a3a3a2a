using System.Numerics;

namespace Emu.FloatingPoint;

/// <summary>The class of an unpacked FP operand (ARM FPType).</summary>
public enum FpType : byte
{
    Zero,
    Finite,
    Infinity,
    QNaN,
    SNaN,
}

/// <summary>
/// ARM floating-point semantics (the ARM ARM FPUnpack/FPRound/FPProcessNaNs pseudocode) over IEEE bit
/// patterns of width n = 16 (half), 32 (single) or 64 (double), held in the low bits of a ulong.
/// Every operation reads FPCR and accumulates FPSR flags through a <see cref="FpStatus"/>.
/// This part holds the format model: unpacking, NaN rules and rounding.
/// </summary>
public static partial class ArmFloat
{
    /// <summary>An unpacked operand; for <see cref="FpType.Finite"/> the magnitude is Mant * 2^Exp.</summary>
    internal struct FpValue
    {
        public FpType Type;
        public bool Sign;
        public int Exp;
        public ulong Mant;

        public readonly bool IsNaN => Type >= FpType.QNaN;
    }

    internal static int FracBits(int n) => n == 16 ? 10 : n == 32 ? 23 : 52;
    internal static int ExpBits(int n) => n == 16 ? 5 : n == 32 ? 8 : 11;
    private static int Bias(int n) => (1 << (ExpBits(n) - 1)) - 1;
    /// <summary>The exponent of the smallest normal number.</summary>
    private static int MinExp(int n) => 1 - Bias(n);
    internal static ulong Mask(int n) => n == 64 ? ulong.MaxValue : (1UL << n) - 1;
    private static ulong SignBit(int n) => 1UL << (n - 1);
    private static ulong ExpMask(int n) => ((1UL << ExpBits(n)) - 1) << FracBits(n);
    private static ulong QuietBit(int n) => 1UL << (FracBits(n) - 1);

    public static ulong Zero(bool sign, int n) => sign ? SignBit(n) : 0;
    public static ulong Infinity(bool sign, int n) => Zero(sign, n) | ExpMask(n);
    public static ulong DefaultNaN(int n) => ExpMask(n) | QuietBit(n);
    public static ulong MaxNormal(bool sign, int n) => Zero(sign, n) | (ExpMask(n) - (1UL << FracBits(n))) | ((1UL << FracBits(n)) - 1);

    /// <summary>FPUnpack: classifies the operand; with <paramref name="flush"/> a denormal is read as zero (IDC for single/double).</summary>
    internal static FpValue Unpack(ulong bits, int n, ref FpStatus st, bool flush)
    {
        int f = FracBits(n);
        ulong expField = (bits & ExpMask(n)) >> f;
        ulong frac = bits & ((1UL << f) - 1);
        var v = new FpValue { Sign = (bits & SignBit(n)) != 0 };
        if (expField == 0)
        {
            if (frac == 0) v.Type = FpType.Zero;
            else if (flush)
            {
                v.Type = FpType.Zero;
                if (n != 16) st.Raise(FpStatus.Idc);
            }
            else
            {
                v.Type = FpType.Finite;
                v.Mant = frac;
                v.Exp = MinExp(n) - f;
            }
        }
        else if (expField == (ExpMask(n) >> f))
            v.Type = frac == 0 ? FpType.Infinity : (frac & QuietBit(n)) != 0 ? FpType.QNaN : FpType.SNaN;
        else
        {
            v.Type = FpType.Finite;
            v.Mant = frac | (1UL << f);
            v.Exp = (int)expField - Bias(n) - f;
        }
        return v;
    }

    private static FpValue Unpack(ulong bits, int n, ref FpStatus st) => Unpack(bits, n, ref st, st.FlushToZero(n));

    /// <summary>FPProcessNaN: a signalling NaN is quietened (IOC); FPCR.DN replaces any NaN with the default NaN.</summary>
    internal static ulong ProcessNaN(FpType type, ulong bits, int n, ref FpStatus st)
    {
        if (type == FpType.SNaN)
        {
            st.Raise(FpStatus.Ioc);
            bits |= QuietBit(n);
        }
        return st.DefaultNaN ? DefaultNaN(n) : bits & Mask(n);
    }

    /// <summary>FPProcessNaNs: signalling NaNs first, then quiet ones, each in operand order.</summary>
    internal static bool ProcessNaNs(in FpValue x, in FpValue y, ulong a, ulong b, int n, ref FpStatus st, out ulong result)
    {
        if (x.Type == FpType.SNaN) result = ProcessNaN(x.Type, a, n, ref st);
        else if (y.Type == FpType.SNaN) result = ProcessNaN(y.Type, b, n, ref st);
        else if (x.Type == FpType.QNaN) result = ProcessNaN(x.Type, a, n, ref st);
        else if (y.Type == FpType.QNaN) result = ProcessNaN(y.Type, b, n, ref st);
        else
        {
            result = 0;
            return false;
        }
        return true;
    }

    internal static bool ProcessNaNs3(in FpValue x, in FpValue y, in FpValue z, ulong a, ulong b, ulong c, int n, ref FpStatus st, out ulong result)
    {
        if (x.Type == FpType.SNaN) result = ProcessNaN(x.Type, a, n, ref st);
        else if (y.Type == FpType.SNaN) result = ProcessNaN(y.Type, b, n, ref st);
        else if (z.Type == FpType.SNaN) result = ProcessNaN(z.Type, c, n, ref st);
        else if (x.Type == FpType.QNaN) result = ProcessNaN(x.Type, a, n, ref st);
        else if (y.Type == FpType.QNaN) result = ProcessNaN(y.Type, b, n, ref st);
        else if (z.Type == FpType.QNaN) result = ProcessNaN(z.Type, c, n, ref st);
        else
        {
            result = 0;
            return false;
        }
        return true;
    }

    private static int MsbIndex(UInt128 m) => 127 - (int)UInt128.LeadingZeroCount(m);

    /// <summary>
    /// FPRound of the non-zero value (mant + s) * 2^exp, where s is a fraction in (0,1) when
    /// <paramref name="sticky"/> (callers keep at least 3 bits below the rounding point then).
    /// <paramref name="flush"/> applies flush-to-zero to a tiny result.
    /// </summary>
    internal static ulong RoundPack(bool sign, UInt128 mant, int exp, bool sticky, int n, ref FpStatus st, FpRounding rounding, bool flush)
    {
        int f = FracBits(n), e = ExpBits(n), minExp = MinExp(n);
        int realExp = exp + MsbIndex(mant);
        if (flush && realExp < minExp)
        {
            st.Raise(FpStatus.Ufc);
            return Zero(sign, n);
        }
        int biased = Math.Max(realExp - minExp + 1, 0);
        int ulpExp = (biased == 0 ? minExp : realExp) - f;
        int sh = ulpExp - exp;
        ulong intMant;
        bool aboveHalf, exactHalf, inexact;
        if (sh > 0)
        {
            UInt128 rem;
            if (sh >= 128)
            {
                intMant = 0;
                rem = mant;
                aboveHalf = exactHalf = false;
            }
            else
            {
                intMant = (ulong)(mant >> sh);
                rem = mant & ((UInt128.One << sh) - 1);
                UInt128 half = UInt128.One << (sh - 1);
                aboveHalf = rem > half || (rem == half && sticky);
                exactHalf = rem == half && !sticky;
            }
            inexact = rem != 0 || sticky;
        }
        else
        {
            intMant = (ulong)(mant << -sh);
            aboveHalf = exactHalf = false;
            inexact = sticky;
        }
        if (biased == 0 && inexact) st.Raise(FpStatus.Ufc);
        bool roundUp, overflowToInf;
        switch (rounding)
        {
            case FpRounding.TieEven:
                roundUp = aboveHalf || (exactHalf && (intMant & 1) != 0);
                overflowToInf = true;
                break;
            case FpRounding.TieAway:
                roundUp = aboveHalf || exactHalf;
                overflowToInf = true;
                break;
            case FpRounding.PosInf:
                roundUp = inexact && !sign;
                overflowToInf = !sign;
                break;
            case FpRounding.NegInf:
                roundUp = inexact && sign;
                overflowToInf = sign;
                break;
            default:
                roundUp = false;
                overflowToInf = false;
                break;
        }
        if (roundUp)
        {
            intMant++;
            if (intMant == 1UL << f) biased = 1; // denormal rounded up to the smallest normal
            if (intMant == 1UL << (f + 1))
            {
                biased++;
                intMant >>= 1;
            }
        }
        if (inexact && rounding == FpRounding.Odd) intMant |= 1;
        if (biased >= (1 << e) - 1)
        {
            st.Raise(FpStatus.Ofc | FpStatus.Ixc);
            return overflowToInf ? Infinity(sign, n) : MaxNormal(sign, n);
        }
        if (inexact) st.Raise(FpStatus.Ixc);
        return Zero(sign, n) | ((ulong)biased << f) | (intMant & ((1UL << f) - 1));
    }

    /// <summary>Exact sum of two signed magnitudes m*2^e, as (sign, mant, exp, sticky) with the sticky convention of <see cref="RoundPack"/>.</summary>
    private static (bool Sign, UInt128 Mant, int Exp, bool Sticky) AddExact(bool sx, UInt128 mx, int ex, bool sy, UInt128 my, int ey)
    {
        if (mx == 0) return (sy, my, ey, false);
        if (my == 0) return (sx, mx, ex, false);
        // Both to msb 124: exact, leaves headroom for the carry and keeps > 3 guard bits after any cancellation with sticky.
        int kx = 124 - MsbIndex(mx), ky = 124 - MsbIndex(my);
        mx = kx >= 0 ? mx << kx : mx >> -kx;
        my = ky >= 0 ? my << ky : my >> -ky;
        ex -= kx;
        ey -= ky;
        if (ex < ey || (ex == ey && mx < my))
        {
            (sx, mx, ex, sy, my, ey) = (sy, my, ey, sx, mx, ex);
        }
        int d = ex - ey;
        bool sticky = false;
        if (d >= 126)
        {
            sticky = true;
            my = 0;
        }
        else if (d > 0)
        {
            sticky = (my & ((UInt128.One << d) - 1)) != 0;
            my >>= d;
        }
        if (sx == sy) return (sx, mx + my, ex, sticky);
        UInt128 m = mx - my;
        if (sticky) m -= 1; // the true subtrahend is a little larger than my
        return (sx, m, ex, sticky);
    }

    /// <summary>Rounds the magnitude mant * 2^-shift to an integer by the rounding mode (sign gives the direction of the directed modes).</summary>
    private static UInt128 RoundMagnitude(ulong mant, int shift, bool sign, FpRounding rounding, out bool inexact)
    {
        if (shift <= 0)
        {
            inexact = false;
            return (UInt128)mant << -shift;
        }
        ulong q, rem;
        bool aboveHalf, exactHalf;
        if (shift >= 64)
        {
            q = 0;
            rem = mant;
            // mant < 2^63 <= half: below one half (shift 64 with mant >= 2^63 cannot occur: mant has at most 53 bits).
            aboveHalf = exactHalf = false;
        }
        else
        {
            q = mant >> shift;
            rem = mant & ((1UL << shift) - 1);
            ulong half = 1UL << (shift - 1);
            aboveHalf = rem > half;
            exactHalf = rem == half;
        }
        inexact = rem != 0;
        bool up = rounding switch
        {
            FpRounding.TieEven => aboveHalf || (exactHalf && (q & 1) != 0),
            FpRounding.TieAway => aboveHalf || exactHalf,
            FpRounding.PosInf => inexact && !sign,
            FpRounding.NegInf => inexact && sign,
            _ => false,
        };
        return (UInt128)q + (up ? 1u : 0u);
    }

    /// <summary>Encodes the exact integer <paramref name="magnitude"/> (non-zero, representable) with a sign.</summary>
    private static ulong FromInteger(bool sign, UInt128 magnitude, int n)
    {
        var scratch = new FpStatus();
        return RoundPack(sign, magnitude, 0, false, n, ref scratch, FpRounding.Zero, false);
    }

    private static int BitLength(ulong x) => 64 - BitOperations.LeadingZeroCount(x);
}
