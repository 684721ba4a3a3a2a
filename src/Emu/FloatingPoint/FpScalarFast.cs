using System.Runtime.CompilerServices;
using Emu.Cpu;
using Emu.IR;

namespace Emu.FloatingPoint;

/// <summary>
/// Scalar FP helpers for single (…32) and double (…64) that Tier 1 inlines: one host instruction plus a
/// guard, else the exact <see cref="FpScalarHelpers"/> path. The guard takes the host result only when it
/// is the ARM result with the same FPSR effect:
/// - FPCR is in the default mode (round to nearest, no FZ, no DN), which host arithmetic implements;
/// - the result is finite, so no operand was a NaN or an infinity and nothing overflowed or was invalid;
/// - the result is not near the subnormal range, so there is no underflow (ARM detects tininess before
///   rounding, x86 after: the margin keeps both sides out of that range);
/// - FPSR.IXC is already set, so whether this operation was inexact does not matter (the flag is cumulative).
/// Operations that cannot be inexact (compares, min/max) only need the FPCR test and no NaN operand.
/// The inexact ones have a …Guarded form taking that mode test as an argument (<c>fast</c>: 1 when FPCR is
/// the default and FPSR.IXC is set): Tier 1 evaluates it once per block instead of once per operation
/// (see <c>IlCompiler</c>); the exact path only ever sets FPSR bits, so a test that passed stays true.
/// </summary>
public static unsafe class FpScalarFast
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    // Results with a biased exponent from these up are far from the subnormal range (2^-959 and 2^-123)
    // and, below the all-ones exponent, finite.
    private const ulong MinExponentDouble = 64, MinExponentSingle = 4;

    private const ulong NzcvLess = 0x8UL << 28, NzcvEqual = 0x6UL << 28, NzcvGreater = 0x2UL << 28;

    [MethodImpl(Inline)]
    private static bool InexactAllowed(CpuContext* ctx) =>
        ((ctx->Fpcr & FpStatus.SlowPathBits) | (~ctx->Fpsr & FpStatus.Ixc)) == 0;

    [MethodImpl(Inline)]
    private static bool DefaultMode(CpuContext* ctx) => (ctx->Fpcr & FpStatus.SlowPathBits) == 0;

    [MethodImpl(Inline)]
    private static double D(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    [MethodImpl(Inline)]
    private static float S(ulong bits) => BitConverter.UInt32BitsToSingle((uint)bits);

    [MethodImpl(Inline)]
    private static ulong Bits(double d) => BitConverter.DoubleToUInt64Bits(d);

    [MethodImpl(Inline)]
    private static ulong Bits(float f) => BitConverter.SingleToUInt32Bits(f);

    // One unsigned range test of the exponent field: finite and not tiny. On bits too, for Tier 1's split
    // forms (SimdFpInlineHelpers), which must apply the same test.
    [MethodImpl(Inline)]
    internal static bool FiniteNotTiny64(ulong bits) => ((bits << 1) >> 53) - MinExponentDouble < 0x7FF - MinExponentDouble;

    [MethodImpl(Inline)]
    internal static bool FiniteNotTiny32(ulong bits) => ((bits << 33) >> 56) - MinExponentSingle < 0xFF - MinExponentSingle;

    [MethodImpl(Inline)]
    private static bool Ok(double r) => FiniteNotTiny64(Bits(r));

    [MethodImpl(Inline)]
    private static bool Ok(float r) => FiniteNotTiny32(Bits(r));

    [MethodImpl(Inline)]
    private static ulong Fast(CpuContext* ctx) => InexactAllowed(ctx) ? 1UL : 0UL;

    // Add and subtract: a tiny sum is exact, so a zero or tiny result needs no underflow test.
    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FAdd64(CpuContext* ctx, ulong a, ulong b) => FAdd64Guarded(ctx, Fast(ctx), a, b);

    [MethodImpl(Inline)]
    public static ulong FAdd64Guarded(CpuContext* ctx, ulong fast, ulong a, ulong b)
    {
        double r = D(a) + D(b);
        return fast != 0 && double.IsFinite(r) ? Bits(r) : FpScalarHelpers.FAdd(ctx, a, b, 64);
    }

    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FAdd32(CpuContext* ctx, ulong a, ulong b) => FAdd32Guarded(ctx, Fast(ctx), a, b);

    [MethodImpl(Inline)]
    public static ulong FAdd32Guarded(CpuContext* ctx, ulong fast, ulong a, ulong b)
    {
        float r = S(a) + S(b);
        return fast != 0 && float.IsFinite(r) ? Bits(r) : FpScalarHelpers.FAdd(ctx, a, b, 32);
    }

    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FSub64(CpuContext* ctx, ulong a, ulong b) => FSub64Guarded(ctx, Fast(ctx), a, b);

    [MethodImpl(Inline)]
    public static ulong FSub64Guarded(CpuContext* ctx, ulong fast, ulong a, ulong b)
    {
        double r = D(a) - D(b);
        return fast != 0 && double.IsFinite(r) ? Bits(r) : FpScalarHelpers.FSub(ctx, a, b, 64);
    }

    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FSub32(CpuContext* ctx, ulong a, ulong b) => FSub32Guarded(ctx, Fast(ctx), a, b);

    [MethodImpl(Inline)]
    public static ulong FSub32Guarded(CpuContext* ctx, ulong fast, ulong a, ulong b)
    {
        float r = S(a) - S(b);
        return fast != 0 && float.IsFinite(r) ? Bits(r) : FpScalarHelpers.FSub(ctx, a, b, 32);
    }

    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FMul64(CpuContext* ctx, ulong a, ulong b) => FMul64Guarded(ctx, Fast(ctx), a, b);

    [MethodImpl(Inline)]
    public static ulong FMul64Guarded(CpuContext* ctx, ulong fast, ulong a, ulong b)
    {
        double r = D(a) * D(b);
        return fast != 0 && Ok(r) ? Bits(r) : FpScalarHelpers.FMul(ctx, a, b, 64);
    }

    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FMul32(CpuContext* ctx, ulong a, ulong b) => FMul32Guarded(ctx, Fast(ctx), a, b);

    [MethodImpl(Inline)]
    public static ulong FMul32Guarded(CpuContext* ctx, ulong fast, ulong a, ulong b)
    {
        float r = S(a) * S(b);
        return fast != 0 && Ok(r) ? Bits(r) : FpScalarHelpers.FMul(ctx, a, b, 32);
    }

    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FNMul64(CpuContext* ctx, ulong a, ulong b) => FNMul64Guarded(ctx, Fast(ctx), a, b);

    [MethodImpl(Inline)]
    public static ulong FNMul64Guarded(CpuContext* ctx, ulong fast, ulong a, ulong b)
    {
        double r = D(a) * D(b);
        return fast != 0 && Ok(r) ? Bits(-r) : FpScalarHelpers.FNMul(ctx, a, b, 64);
    }

    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FNMul32(CpuContext* ctx, ulong a, ulong b) => FNMul32Guarded(ctx, Fast(ctx), a, b);

    [MethodImpl(Inline)]
    public static ulong FNMul32Guarded(CpuContext* ctx, ulong fast, ulong a, ulong b)
    {
        float r = S(a) * S(b);
        return fast != 0 && Ok(r) ? Bits(-r) : FpScalarHelpers.FNMul(ctx, a, b, 32);
    }

    // Division: a finite, not tiny quotient also means the divisor was neither zero nor infinite.
    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FDiv64(CpuContext* ctx, ulong a, ulong b) => FDiv64Guarded(ctx, Fast(ctx), a, b);

    [MethodImpl(Inline)]
    public static ulong FDiv64Guarded(CpuContext* ctx, ulong fast, ulong a, ulong b)
    {
        double r = D(a) / D(b);
        return fast != 0 && Ok(r) ? Bits(r) : FpScalarHelpers.FDiv(ctx, a, b, 64);
    }

    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FDiv32(CpuContext* ctx, ulong a, ulong b) => FDiv32Guarded(ctx, Fast(ctx), a, b);

    [MethodImpl(Inline)]
    public static ulong FDiv32Guarded(CpuContext* ctx, ulong fast, ulong a, ulong b)
    {
        float r = S(a) / S(b);
        return fast != 0 && Ok(r) ? Bits(r) : FpScalarHelpers.FDiv(ctx, a, b, 32);
    }

    // Square root: a finite result means a finite operand >= 0 or -0 (sqrt(-0) = -0 on both), never tiny.
    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FSqrt64(CpuContext* ctx, ulong a) => FSqrt64Guarded(ctx, Fast(ctx), a);

    [MethodImpl(Inline)]
    public static ulong FSqrt64Guarded(CpuContext* ctx, ulong fast, ulong a)
    {
        double r = Math.Sqrt(D(a));
        return fast != 0 && double.IsFinite(r) ? Bits(r) : FpScalarHelpers.FSqrt(ctx, a, 64);
    }

    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FSqrt32(CpuContext* ctx, ulong a) => FSqrt32Guarded(ctx, Fast(ctx), a);

    [MethodImpl(Inline)]
    public static ulong FSqrt32Guarded(CpuContext* ctx, ulong fast, ulong a)
    {
        float r = MathF.Sqrt(S(a));
        return fast != 0 && float.IsFinite(r) ? Bits(r) : FpScalarHelpers.FSqrt(ctx, a, 32);
    }

    /// <summary>FMADD family: (±addend) + (±op1) * op2 with one rounding, as <see cref="FpScalarHelpers.FMulAdd"/>.</summary>
    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FMulAdd64(CpuContext* ctx, ulong addend, ulong op1, ulong op2, ulong negateAddend, ulong negateOp1) =>
        FMulAdd64Guarded(ctx, Fast(ctx), addend, op1, op2, negateAddend, negateOp1);

    [MethodImpl(Inline)]
    public static ulong FMulAdd64Guarded(CpuContext* ctx, ulong fast, ulong addend, ulong op1, ulong op2, ulong negateAddend, ulong negateOp1)
    {
        double c = D(addend), x = D(op1);
        if (negateAddend != 0) c = -c;
        if (negateOp1 != 0) x = -x;
        double r = Math.FusedMultiplyAdd(x, D(op2), c);
        return fast != 0 && Ok(r) ? Bits(r) : FpScalarHelpers.FMulAdd(ctx, addend, op1, op2, 64, negateAddend, negateOp1);
    }

    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FMulAdd32(CpuContext* ctx, ulong addend, ulong op1, ulong op2, ulong negateAddend, ulong negateOp1) =>
        FMulAdd32Guarded(ctx, Fast(ctx), addend, op1, op2, negateAddend, negateOp1);

    [MethodImpl(Inline)]
    public static ulong FMulAdd32Guarded(CpuContext* ctx, ulong fast, ulong addend, ulong op1, ulong op2, ulong negateAddend, ulong negateOp1)
    {
        float c = S(addend), x = S(op1);
        if (negateAddend != 0) c = -c;
        if (negateOp1 != 0) x = -x;
        float r = MathF.FusedMultiplyAdd(x, S(op2), c);
        return fast != 0 && Ok(r) ? Bits(r) : FpScalarHelpers.FMulAdd(ctx, addend, op1, op2, 32, negateAddend, negateOp1);
    }

    // FCMP/FCMPE: ordered operands raise nothing; only FZ changes the outcome (subnormals compare as zero).
    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FCmp64(CpuContext* ctx, ulong a, ulong b, ulong signalAll)
    {
        double x = D(a), y = D(b);
        if ((ctx->Fpcr & FpStatus.FzBit) == 0)
        {
            if (x < y) return NzcvLess;
            if (x > y) return NzcvGreater;
            if (x == y) return NzcvEqual;
        }
        return FpScalarHelpers.FCmp(ctx, a, b, 64, signalAll);
    }

    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FCmp32(CpuContext* ctx, ulong a, ulong b, ulong signalAll)
    {
        float x = S(a), y = S(b);
        if ((ctx->Fpcr & FpStatus.FzBit) == 0)
        {
            if (x < y) return NzcvLess;
            if (x > y) return NzcvGreater;
            if (x == y) return NzcvEqual;
        }
        return FpScalarHelpers.FCmp(ctx, a, b, 32, signalAll);
    }

    // FMIN/FMAX (and the NM forms, which differ only for NaNs): exact; equal operands are ±0 or identical,
    // where min ORs the sign bits (-0 wins) and max ANDs them.
    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FMin64(CpuContext* ctx, ulong a, ulong b, ulong numeric)
    {
        double x = D(a), y = D(b);
        if (DefaultMode(ctx))
        {
            if (x < y) return a;
            if (y < x) return b;
            if (x == y) return a | b;
        }
        return numeric != 0 ? FpScalarHelpers.FMinNm(ctx, a, b, 64) : FpScalarHelpers.FMin(ctx, a, b, 64);
    }

    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FMax64(CpuContext* ctx, ulong a, ulong b, ulong numeric)
    {
        double x = D(a), y = D(b);
        if (DefaultMode(ctx))
        {
            if (x > y) return a;
            if (y > x) return b;
            if (x == y) return a & b;
        }
        return numeric != 0 ? FpScalarHelpers.FMaxNm(ctx, a, b, 64) : FpScalarHelpers.FMax(ctx, a, b, 64);
    }

    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FMin32(CpuContext* ctx, ulong a, ulong b, ulong numeric)
    {
        float x = S(a), y = S(b);
        if (DefaultMode(ctx))
        {
            if (x < y) return (uint)a;
            if (y < x) return (uint)b;
            if (x == y) return (uint)(a | b);
        }
        return numeric != 0 ? FpScalarHelpers.FMinNm(ctx, a, b, 32) : FpScalarHelpers.FMin(ctx, a, b, 32);
    }

    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FMax32(CpuContext* ctx, ulong a, ulong b, ulong numeric)
    {
        float x = S(a), y = S(b);
        if (DefaultMode(ctx))
        {
            if (x > y) return (uint)a;
            if (y > x) return (uint)b;
            if (x == y) return (uint)(a & b);
        }
        return numeric != 0 ? FpScalarHelpers.FMaxNm(ctx, a, b, 32) : FpScalarHelpers.FMax(ctx, a, b, 32);
    }

    // FCVT between single and double: widening is exact for non-NaNs; narrowing may round or overflow.
    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FCvtSingleToDouble(CpuContext* ctx, ulong a)
    {
        float x = S(a);
        return DefaultMode(ctx) && !float.IsNaN(x) ? Bits((double)x) : FpScalarHelpers.FConvert(ctx, a, 32, 64);
    }

    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FCvtDoubleToSingle(CpuContext* ctx, ulong a) => FCvtDoubleToSingleGuarded(ctx, Fast(ctx), a);

    [MethodImpl(Inline)]
    public static ulong FCvtDoubleToSingleGuarded(CpuContext* ctx, ulong fast, ulong a)
    {
        float r = (float)D(a);
        return fast != 0 && Ok(r) ? Bits(r) : FpScalarHelpers.FConvert(ctx, a, 64, 32);
    }

    /// <summary>SCVTF (signed 1) / UCVTF from a 32- or 64-bit integer, no fraction bits, to single or double.</summary>
    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong IntToF(CpuContext* ctx, ulong value, ulong intBits, ulong isUnsigned, ulong n)
    {
        // 32-bit integers are exact in a double; otherwise the result may round, which IXC covers.
        bool exact = intBits == 32 && n == 64;
        if (exact ? DefaultMode(ctx) : InexactAllowed(ctx))
        {
            if (intBits == 32)
            {
                double v = isUnsigned != 0 ? (uint)value : (int)value; // exact
                return n == 64 ? Bits(v) : Bits((float)v);
            }
            // Unsigned values from 2^63 up would go through the host's unsigned conversion sequence, and a
            // long to float conversion may round twice through double: those take the exact path.
            long v64 = (long)value;
            if (n == 64 && (isUnsigned == 0 || v64 >= 0)) return Bits((double)v64);
            if (n == 32 && v64 >= -(1L << 53) && v64 <= 1L << 53 && (isUnsigned == 0 || v64 >= 0)) return Bits((float)(double)v64);
        }
        return FpScalarHelpers.IntToF(ctx, value, intBits, 0, isUnsigned, n);
    }

    /// <summary>FCVTZS/FCVTZU (no fraction bits) to a 32- or 64-bit integer: truncation, exact path when out of range.</summary>
    [FpStatusHelper, MethodImpl(Inline)]
    public static ulong FToIntZero(CpuContext* ctx, ulong a, ulong n, ulong isUnsigned, ulong intBits)
    {
        double x = n == 64 ? D(a) : S(a);
        double t = Math.Truncate(x);
        // Integral values convert exactly; fractions only need IXC. NaN fails every range test.
        if (DefaultMode(ctx) && (t == x || (ctx->Fpsr & FpStatus.Ixc) != 0))
        {
            if (intBits == 32)
            {
                if (isUnsigned != 0 ? t >= 0 && t <= uint.MaxValue : t >= int.MinValue && t <= int.MaxValue)
                    return isUnsigned != 0 ? (uint)t : (uint)(int)t;
            }
            else if (isUnsigned != 0 ? t >= 0 && t < 18446744073709551616.0 : t >= -9223372036854775808.0 && t < 9223372036854775808.0)
            {
                return isUnsigned != 0 ? (ulong)t : (ulong)(long)t;
            }
        }
        return FpScalarHelpers.FToInt(ctx, a, n, 0, isUnsigned, intBits, (ulong)FpRounding.Zero);
    }
}
