using System.Runtime.CompilerServices;

namespace Emu.FloatingPoint;

/// <summary>
/// Arithmetic. With FPCR.RMode = nearest, FZ = 0 and DN = 0 the single and double forms use host
/// arithmetic (correctly rounded to nearest) and detect inexactness with error-free transformations;
/// anything else (NaNs, infinities, overflow, results near the subnormal range, half precision, other
/// FPCR settings) takes the exact software path. Flag accuracy: exact everywhere except the fast
/// double FMADD path, whose IXC comes from a double-double residual (see <see cref="MulAdd"/>).
/// </summary>
public static partial class ArmFloat
{
    // Below this magnitude a double residual (FMA error term) may underflow, so the fast path is not used.
    private const double SafeTiny = 1.0e-289; // about 2^-960

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double D(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float S(ulong bits) => BitConverter.UInt32BitsToSingle((uint)bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bits(double d) => BitConverter.DoubleToUInt64Bits(d);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bits(float f) => BitConverter.SingleToUInt32Bits(f);

    /// <summary>The rounding error of s = RN(a + b) (Knuth's TwoSum), exact when s does not overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double TwoSumError(double a, double b, double s)
    {
        double bb = s - a;
        return (a - (s - bb)) + (b - bb);
    }

    private static bool FastMode(in FpStatus st) => (st.Fpcr & FpStatus.SlowPathBits) == 0;

    // Finite and at least 2^-125: ARM detects tininess before rounding, so a result that rounded up to the
    // smallest normal (2^-126) may still have underflowed; from twice that on it cannot have.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool NormalFloat(float f) => float.IsFinite(f) && MathF.Abs(f) >= 2.3509887E-38f;

    public static ulong Abs(ulong a, int n) => a & Mask(n) & ~SignBit(n);

    public static ulong Neg(ulong a, int n) => (a ^ SignBit(n)) & Mask(n);

    public static ulong Add(ulong a, ulong b, int n, ref FpStatus st) => AddSub(a, b, n, false, ref st);

    public static ulong Sub(ulong a, ulong b, int n, ref FpStatus st) => AddSub(a, b, n, true, ref st);

    private static ulong AddSub(ulong a, ulong b, int n, bool subtract, ref FpStatus st)
    {
        if (FastMode(st))
        {
            if (n == 64)
            {
                double x = D(a), y = subtract ? -D(b) : D(b), s = x + y;
                // A finite sum of finite operands; a tiny sum is always exact, so no underflow case.
                if (double.IsFinite(s))
                {
                    if (TwoSumError(x, y, s) != 0) st.Raise(FpStatus.Ixc);
                    return Bits(s);
                }
            }
            else if (n == 32)
            {
                double x = S(a), y = subtract ? -(double)S(b) : S(b), s = x + y;
                float r = (float)s; // double rounding is innocuous for + at these precisions
                if (float.IsFinite(r) && double.IsFinite(s))
                {
                    if (TwoSumError(x, y, s) != 0 || r != s) st.Raise(FpStatus.Ixc);
                    return Bits(r);
                }
            }
        }
        return AddSubSoft(a, b, n, subtract, ref st);
    }

    private static ulong AddSubSoft(ulong a, ulong b, int n, bool subtract, ref FpStatus st)
    {
        a &= Mask(n);
        b &= Mask(n);
        var rounding = st.Rounding;
        bool flush = st.FlushToZero(n);
        var x = Unpack(a, n, ref st, flush);
        var y = Unpack(b, n, ref st, flush);
        if (ProcessNaNs(x, y, a, b, n, ref st, out ulong nan)) return nan;
        bool sy = y.Sign ^ subtract;
        if (x.Type == FpType.Infinity && y.Type == FpType.Infinity && x.Sign != sy)
        {
            st.Raise(FpStatus.Ioc);
            return DefaultNaN(n);
        }
        if (x.Type == FpType.Infinity) return Infinity(x.Sign, n);
        if (y.Type == FpType.Infinity) return Infinity(sy, n);
        if (x.Type == FpType.Zero && y.Type == FpType.Zero && x.Sign == sy) return Zero(sy, n);
        var sum = AddExact(x.Sign, x.Mant, x.Exp, sy, y.Mant, y.Exp);
        if (sum.Mant == 0) return Zero(rounding == FpRounding.NegInf, n);
        return RoundPack(sum.Sign, sum.Mant, sum.Exp, sum.Sticky, n, ref st, rounding, flush);
    }

    public static ulong Mul(ulong a, ulong b, int n, ref FpStatus st)
    {
        if (FastMode(st))
        {
            if (n == 64)
            {
                double x = D(a), y = D(b), p = x * y;
                if (double.IsFinite(p))
                {
                    if (Math.Abs(p) >= SafeTiny)
                    {
                        if (Math.FusedMultiplyAdd(x, y, -p) != 0) st.Raise(FpStatus.Ixc);
                        return Bits(p);
                    }
                    if (x == 0 || y == 0) return Bits(p);
                }
            }
            else if (n == 32)
            {
                double p = (double)S(a) * S(b); // exact
                float r = (float)p;
                if (NormalFloat(r) || p == 0)
                {
                    if (r != p) st.Raise(FpStatus.Ixc);
                    return Bits(r);
                }
            }
        }
        return MulSoft(a, b, n, ref st);
    }

    /// <summary>FNMUL: the negated product (a NaN result is negated too, as FPNeg(FPMul) does).</summary>
    public static ulong MulNeg(ulong a, ulong b, int n, ref FpStatus st) => Neg(Mul(a, b, n, ref st), n);

    private static ulong MulSoft(ulong a, ulong b, int n, ref FpStatus st)
    {
        a &= Mask(n);
        b &= Mask(n);
        bool flush = st.FlushToZero(n);
        var x = Unpack(a, n, ref st, flush);
        var y = Unpack(b, n, ref st, flush);
        if (ProcessNaNs(x, y, a, b, n, ref st, out ulong nan)) return nan;
        bool sign = x.Sign ^ y.Sign;
        if ((x.Type == FpType.Infinity && y.Type == FpType.Zero) || (x.Type == FpType.Zero && y.Type == FpType.Infinity))
        {
            st.Raise(FpStatus.Ioc);
            return DefaultNaN(n);
        }
        if (x.Type == FpType.Infinity || y.Type == FpType.Infinity) return Infinity(sign, n);
        if (x.Type == FpType.Zero || y.Type == FpType.Zero) return Zero(sign, n);
        return RoundPack(sign, (UInt128)x.Mant * y.Mant, x.Exp + y.Exp, false, n, ref st, st.Rounding, flush);
    }

    public static ulong Div(ulong a, ulong b, int n, ref FpStatus st)
    {
        if (FastMode(st))
        {
            if (n == 64)
            {
                double x = D(a), y = D(b), q = x / y;
                if (double.IsFinite(q) && double.IsFinite(y))
                {
                    if (Math.Abs(q) >= SafeTiny && Math.Abs(x) >= SafeTiny)
                    {
                        if (Math.FusedMultiplyAdd(-q, y, x) != 0) st.Raise(FpStatus.Ixc);
                        return Bits(q);
                    }
                    if (x == 0 && y != 0) return Bits(q);
                }
            }
            else if (n == 32)
            {
                double x = S(a), y = S(b);
                float r = (float)(x / y); // double rounding is innocuous for / at these precisions
                if (double.IsFinite(y) && y != 0 && (NormalFloat(r) || (r == 0 && x == 0)))
                {
                    if (Math.FusedMultiplyAdd(-(double)r, y, x) != 0) st.Raise(FpStatus.Ixc);
                    return Bits(r);
                }
            }
        }
        return DivSoft(a, b, n, ref st);
    }

    private static ulong DivSoft(ulong a, ulong b, int n, ref FpStatus st)
    {
        a &= Mask(n);
        b &= Mask(n);
        bool flush = st.FlushToZero(n);
        var x = Unpack(a, n, ref st, flush);
        var y = Unpack(b, n, ref st, flush);
        if (ProcessNaNs(x, y, a, b, n, ref st, out ulong nan)) return nan;
        bool sign = x.Sign ^ y.Sign;
        if ((x.Type == FpType.Infinity && y.Type == FpType.Infinity) || (x.Type == FpType.Zero && y.Type == FpType.Zero))
        {
            st.Raise(FpStatus.Ioc);
            return DefaultNaN(n);
        }
        if (x.Type == FpType.Infinity || y.Type == FpType.Zero)
        {
            if (x.Type != FpType.Infinity) st.Raise(FpStatus.Dzc);
            return Infinity(sign, n);
        }
        if (x.Type == FpType.Zero || y.Type == FpType.Infinity) return Zero(sign, n);
        // At least 126 - 53 quotient bits: plenty of guard bits for the sticky convention.
        int k = 126 - MsbIndex(x.Mant);
        UInt128 num = (UInt128)x.Mant << k;
        UInt128 q = UInt128.DivRem(num, y.Mant).Quotient;
        bool sticky = q * y.Mant != num;
        return RoundPack(sign, q, x.Exp - k - y.Exp, sticky, n, ref st, st.Rounding, flush);
    }

    public static ulong Sqrt(ulong a, int n, ref FpStatus st)
    {
        if (FastMode(st))
        {
            if (n == 64)
            {
                double x = D(a);
                if (x >= SafeTiny && double.IsFinite(x))
                {
                    double s = Math.Sqrt(x);
                    if (Math.FusedMultiplyAdd(-s, s, x) != 0) st.Raise(FpStatus.Ixc);
                    return Bits(s);
                }
                if (x == 0) return a;
            }
            else if (n == 32)
            {
                float x = S(a);
                if (x > 0 && float.IsFinite(x))
                {
                    float r = (float)Math.Sqrt(x);
                    if (Math.FusedMultiplyAdd(-(double)r, r, x) != 0) st.Raise(FpStatus.Ixc);
                    return Bits(r);
                }
                if (x == 0) return a & Mask(32);
            }
        }
        return SqrtSoft(a, n, ref st);
    }

    private static ulong SqrtSoft(ulong a, int n, ref FpStatus st)
    {
        a &= Mask(n);
        bool flush = st.FlushToZero(n);
        var x = Unpack(a, n, ref st, flush);
        if (x.IsNaN) return ProcessNaN(x.Type, a, n, ref st);
        if (x.Type == FpType.Zero) return Zero(x.Sign, n);
        if (x.Sign)
        {
            st.Raise(FpStatus.Ioc);
            return DefaultNaN(n);
        }
        if (x.Type == FpType.Infinity) return Infinity(false, n);
        UInt128 m = x.Mant;
        int e = x.Exp;
        if ((e & 1) != 0)
        {
            m <<= 1;
            e--;
        }
        int k = (124 - MsbIndex(m)) & ~1; // even shift keeps the exponent even
        m <<= k;
        e -= k;
        UInt128 r = ISqrt(m);
        return RoundPack(false, r, e / 2, r * r != m, n, ref st, st.Rounding, flush);
    }

    /// <summary>Floor of the square root of a value below 2^126.</summary>
    private static UInt128 ISqrt(UInt128 m)
    {
        UInt128 r = (UInt128)Math.Sqrt((double)m);
        // Two Newton steps from a 53-bit-accurate guess, then exact correction.
        if (r != 0)
        {
            r = (r + m / r) >> 1;
            r = (r + m / r) >> 1;
        }
        while (r * r > m) r--;
        while ((r + 1) * (r + 1) <= m) r++;
        return r;
    }

    /// <summary>
    /// FPMulAdd: addend + op1 * op2 with one rounding (FMADD; the emitter negates operands for FMSUB/FNMADD/FNMSUB).
    /// Fast double path: IXC is derived from the double-double residual of the product and sum; the rare
    /// residual shape it cannot classify goes to the exact path.
    /// </summary>
    public static ulong MulAdd(ulong addend, ulong op1, ulong op2, int n, ref FpStatus st)
    {
        if (FastMode(st))
        {
            if (n == 64)
            {
                double c = D(addend), x = D(op1), y = D(op2);
                double r = Math.FusedMultiplyAdd(x, y, c);
                if (double.IsFinite(r) && Math.Abs(r) >= SafeTiny)
                {
                    double p = x * y;
                    if (double.IsFinite(p) && (Math.Abs(p) >= SafeTiny || x == 0 || y == 0) && double.IsFinite(c))
                    {
                        double pe = Math.FusedMultiplyAdd(x, y, -p);
                        double s = p + c, e = TwoSumError(p, c, s);
                        double t = e + pe, f = TwoSumError(e, pe, t);
                        double u = s + t, g = TwoSumError(s, t, u);
                        if (f == 0 || g != 0)
                        {
                            if (g != 0 || f != 0 || u != r) st.Raise(FpStatus.Ixc);
                            return Bits(r);
                        }
                    }
                }
            }
            else if (n == 32)
            {
                double c = S(addend), p = (double)S(op1) * S(op2); // exact product
                double s = p + c;
                float r = MathF.FusedMultiplyAdd(S(op1), S(op2), S(addend));
                if (NormalFloat(r) && double.IsFinite(s) && double.IsFinite(p))
                {
                    if (TwoSumError(p, c, s) != 0 || r != s) st.Raise(FpStatus.Ixc);
                    return Bits(r);
                }
            }
        }
        return MulAddSoft(addend, op1, op2, n, ref st);
    }

    private static ulong MulAddSoft(ulong addend, ulong op1, ulong op2, int n, ref FpStatus st)
    {
        addend &= Mask(n);
        op1 &= Mask(n);
        op2 &= Mask(n);
        bool flush = st.FlushToZero(n);
        var a = Unpack(addend, n, ref st, flush);
        var x = Unpack(op1, n, ref st, flush);
        var y = Unpack(op2, n, ref st, flush);
        bool done = ProcessNaNs3(a, x, y, addend, op1, op2, n, ref st, out ulong result);
        bool infZero = (x.Type == FpType.Infinity && y.Type == FpType.Zero) || (x.Type == FpType.Zero && y.Type == FpType.Infinity);
        if (a.Type == FpType.QNaN && infZero)
        {
            st.Raise(FpStatus.Ioc);
            return DefaultNaN(n);
        }
        if (done) return result;
        return MulAddValues(a, x, y, n, ref st, 0, flush);
    }

    /// <summary>(A + X*Y) * 2^scale for non-NaN operands, with FPMulAdd's infinity and zero rules.</summary>
    private static ulong MulAddValues(in FpValue a, in FpValue x, in FpValue y, int n, ref FpStatus st, int scale, bool flush)
    {
        var rounding = st.Rounding;
        bool infA = a.Type == FpType.Infinity, zeroA = a.Type == FpType.Zero;
        bool signP = x.Sign ^ y.Sign;
        bool infP = x.Type == FpType.Infinity || y.Type == FpType.Infinity;
        bool zeroP = x.Type == FpType.Zero || y.Type == FpType.Zero;
        bool infZero = (x.Type == FpType.Infinity && y.Type == FpType.Zero) || (x.Type == FpType.Zero && y.Type == FpType.Infinity);
        if (infZero || (infA && infP && a.Sign != signP))
        {
            st.Raise(FpStatus.Ioc);
            return DefaultNaN(n);
        }
        if ((infA && !a.Sign) || (infP && !signP)) return Infinity(false, n);
        if (infA || infP) return Infinity(true, n);
        if (zeroA && zeroP && a.Sign == signP) return Zero(a.Sign, n);
        UInt128 pm = zeroP ? 0 : (UInt128)x.Mant * y.Mant;
        var sum = AddExact(a.Sign, a.Mant, a.Exp, signP, pm, x.Exp + y.Exp);
        if (sum.Mant == 0) return Zero(rounding == FpRounding.NegInf, n);
        return RoundPack(sum.Sign, sum.Mant, sum.Exp + scale, sum.Sticky, n, ref st, rounding, flush);
    }

    /// <summary>FRECPS: 2 - op1*op2, fused (FPRecipStepFused); infinity times zero gives 2.</summary>
    public static ulong RecipStep(ulong op1, ulong op2, int n, ref FpStatus st) => StepFused(op1, op2, n, 2, ref st);

    /// <summary>FRSQRTS: (3 - op1*op2) / 2, fused (FPRSqrtStepFused); infinity times zero gives 1.5.</summary>
    public static ulong RSqrtStep(ulong op1, ulong op2, int n, ref FpStatus st) => StepFused(op1, op2, n, 3, ref st);

    private static ulong StepFused(ulong op1, ulong op2, int n, int constant, ref FpStatus st)
    {
        op1 = Neg(op1, n);
        op2 &= Mask(n);
        bool flush = st.FlushToZero(n);
        var x = Unpack(op1, n, ref st, flush);
        var y = Unpack(op2, n, ref st, flush);
        if (ProcessNaNs(x, y, op1, op2, n, ref st, out ulong nan)) return nan;
        if ((x.Type == FpType.Infinity && y.Type == FpType.Zero) || (x.Type == FpType.Zero && y.Type == FpType.Infinity))
            return FromInteger(false, (UInt128)constant, n) - (constant == 3 ? 1UL << FracBits(n) : 0); // 2.0, or 3.0/2 = 1.5
        var a = new FpValue { Type = FpType.Finite, Mant = (ulong)constant, Exp = 0 };
        return MulAddValues(a, x, y, n, ref st, constant == 3 ? -1 : 0, flush);
    }
}
