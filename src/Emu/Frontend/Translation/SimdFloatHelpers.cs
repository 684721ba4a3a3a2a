using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Emu.Cpu;
using Emu.FloatingPoint;
using Emu.IR;

namespace Emu.Frontend.Translation;

/// <summary>AdvSIMD FP lane operations, in the order the emitter's op codes use.</summary>
public enum SimdFpOp
{
    Add, Sub, Mul, Div, MulX, Mla, Mls, Max, Min, MaxNm, MinNm, Abd,
    CmEq, CmGe, CmGt, AcGe, AcGt, RecpS, RsqrtS,
    AddP, MaxP, MinP, MaxNmP, MinNmP,
}

/// <summary>AdvSIMD FP unary lane operations.</summary>
public enum SimdFpUnary
{
    Abs, Neg, Sqrt, Round, ToInt, FromInt, CmEqZ, CmGeZ, CmGtZ, CmLeZ, CmLtZ, Recpe, Rsqrte, Recpx,
    /// <summary>FRINT32Z/X and FRINT64Z/X: round to an integral value in signed 32/64-bit range.</summary>
    RoundInt32, RoundInt64,
}

/// <summary>
/// IR helpers for AdvSIMD floating point. Lanes are esize (16/32/64) bits; `lanes` are active and the rest of
/// the result is zero. Exact semantics come from <see cref="ArmFloat"/>; the common arithmetic has a whole-vector
/// host fast path that is taken only when it cannot differ from ARM: default FPCR, IXC already set, and every
/// result lane a normal finite number (so no NaN handling, overflow, underflow or invalid can be involved).
/// </summary>
public static unsafe class SimdFloatHelpers
{
    private static ulong Lane(Vector128<byte> v, int i, int esize) => esize switch
    {
        64 => v.AsUInt64().GetElement(i),
        32 => v.AsUInt32().GetElement(i),
        _ => v.AsUInt16().GetElement(i),
    };

    private static void SetLane(ref Vector128<byte> v, int i, int esize, ulong x)
    {
        v = esize switch
        {
            64 => v.AsUInt64().WithElement(i, x).AsByte(),
            32 => v.AsUInt32().WithElement(i, (uint)x).AsByte(),
            _ => v.AsUInt16().WithElement(i, (ushort)x).AsByte(),
        };
    }

    private static ulong AllOnes(int esize) => esize == 64 ? ulong.MaxValue : (1UL << esize) - 1;

    private static ulong Apply(SimdFpOp op, ulong d, ulong a, ulong b, int n, ref FpStatus st)
    {
        switch (op)
        {
            case SimdFpOp.Add: case SimdFpOp.AddP: return ArmFloat.Add(a, b, n, ref st);
            case SimdFpOp.Sub: return ArmFloat.Sub(a, b, n, ref st);
            case SimdFpOp.Mul: return ArmFloat.Mul(a, b, n, ref st);
            case SimdFpOp.Div: return ArmFloat.Div(a, b, n, ref st);
            case SimdFpOp.MulX: return ArmFloat.MulX(a, b, n, ref st);
            case SimdFpOp.Mla: return ArmFloat.MulAdd(d, a, b, n, ref st);
            case SimdFpOp.Mls: return ArmFloat.MulAdd(d, ArmFloat.Neg(a, n), b, n, ref st);
            case SimdFpOp.Max: case SimdFpOp.MaxP: return ArmFloat.Max(a, b, n, ref st);
            case SimdFpOp.Min: case SimdFpOp.MinP: return ArmFloat.Min(a, b, n, ref st);
            case SimdFpOp.MaxNm: case SimdFpOp.MaxNmP: return ArmFloat.MaxNum(a, b, n, ref st);
            case SimdFpOp.MinNm: case SimdFpOp.MinNmP: return ArmFloat.MinNum(a, b, n, ref st);
            case SimdFpOp.Abd: return ArmFloat.Abs(ArmFloat.Sub(a, b, n, ref st), n);
            case SimdFpOp.RecpS: return ArmFloat.RecipStep(a, b, n, ref st);
            case SimdFpOp.RsqrtS: return ArmFloat.RSqrtStep(a, b, n, ref st);
            case SimdFpOp.CmEq: return Mask(ArmFloat.Compare(a, b, n, false, ref st) == 0b0110UL << 28, n);
            case SimdFpOp.CmGe: return Mask(ArmFloat.Compare(a, b, n, true, ref st) >> 28 is 0b0110 or 0b0010, n);
            case SimdFpOp.CmGt: return Mask(ArmFloat.Compare(a, b, n, true, ref st) >> 28 == 0b0010, n);
            case SimdFpOp.AcGe: return Mask(ArmFloat.Compare(ArmFloat.Abs(a, n), ArmFloat.Abs(b, n), n, true, ref st) >> 28 is 0b0110 or 0b0010, n);
            case SimdFpOp.AcGt: return Mask(ArmFloat.Compare(ArmFloat.Abs(a, n), ArmFloat.Abs(b, n), n, true, ref st) >> 28 == 0b0010, n);
            default: throw new ArgumentOutOfRangeException(nameof(op));
        }
    }

    private static ulong Mask(bool c, int n) => c ? AllOnes(n) : 0;

    private static bool IsPairwise(SimdFpOp op) => op >= SimdFpOp.AddP;

    /// <summary>Two-operand lane op (d is the accumulator for FMLA/FMLS; pairwise ops take pairs from a then b).</summary>
    [FpStatusHelper]
    public static Vector128<byte> Binary(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong op, ulong esize, ulong lanes)
    {
        var o = (SimdFpOp)op;
        int n = (int)esize, count = (int)lanes;
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        var r = Vector128<byte>.Zero;
        for (int i = 0; i < count; i++)
        {
            ulong x, y;
            if (IsPairwise(o))
            {
                int j = 2 * i;
                x = j < count ? Lane(a, j, n) : Lane(b, j - count, n);
                y = j + 1 < count ? Lane(a, j + 1, n) : Lane(b, j + 1 - count, n);
            }
            else
            {
                x = Lane(a, i, n);
                y = Lane(b, i, n);
            }
            SetLane(ref r, i, n, Apply(o, Lane(d, i, n), x, y, n, ref st));
        }
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    // Specialised entry points for the arithmetic gcc emits in vectorized loops: the op is a type argument so the
    // JIT compiles each to straight-line host SIMD plus the normal-result check, falling back to Binary.
    private interface IVecOp
    {
        static abstract Vector128<float> Apply(Vector128<float> d, Vector128<float> a, Vector128<float> b);
        static abstract Vector128<double> Apply(Vector128<double> d, Vector128<double> a, Vector128<double> b);
    }

    private struct AddOp : IVecOp
    {
        public static Vector128<float> Apply(Vector128<float> d, Vector128<float> a, Vector128<float> b) => a + b;
        public static Vector128<double> Apply(Vector128<double> d, Vector128<double> a, Vector128<double> b) => a + b;
    }

    private struct SubOp : IVecOp
    {
        public static Vector128<float> Apply(Vector128<float> d, Vector128<float> a, Vector128<float> b) => a - b;
        public static Vector128<double> Apply(Vector128<double> d, Vector128<double> a, Vector128<double> b) => a - b;
    }

    private struct MulOp : IVecOp
    {
        public static Vector128<float> Apply(Vector128<float> d, Vector128<float> a, Vector128<float> b) => a * b;
        public static Vector128<double> Apply(Vector128<double> d, Vector128<double> a, Vector128<double> b) => a * b;
    }

    private struct DivOp : IVecOp
    {
        public static Vector128<float> Apply(Vector128<float> d, Vector128<float> a, Vector128<float> b) => a / b;
        public static Vector128<double> Apply(Vector128<double> d, Vector128<double> a, Vector128<double> b) => a / b;
    }

    private struct MlaOp : IVecOp
    {
        public static Vector128<float> Apply(Vector128<float> d, Vector128<float> a, Vector128<float> b) => Fma.MultiplyAdd(a, b, d);
        public static Vector128<double> Apply(Vector128<double> d, Vector128<double> a, Vector128<double> b) => Fma.MultiplyAdd(a, b, d);
    }

    private struct MlsOp : IVecOp
    {
        public static Vector128<float> Apply(Vector128<float> d, Vector128<float> a, Vector128<float> b) => Fma.MultiplyAddNegated(a, b, d);
        public static Vector128<double> Apply(Vector128<double> d, Vector128<double> a, Vector128<double> b) => Fma.MultiplyAddNegated(a, b, d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Fast(CpuContext* ctx) =>
        ((ctx->Fpcr & FpStatus.SlowPathBits) | (~ctx->Fpsr & FpStatus.Ixc)) == 0 ? 1UL : 0UL;

    // Inlined into translated code: the host operation and its check; Binary (the exact path) stays a call.
    // fast is the FPCR/FPSR test (see FpScalarFast), which Tier 1 evaluates once per block for the …Guarded forms.
    // A lane is finite and above the smallest normal (which ARM may reach by rounding up a tiny result, an
    // underflow that x86 does not report) when adding 1 to its exponent field takes its magnitude above that
    // of 2 * smallest normal without carrying into the sign bit (infinity, NaN): one add, one signed compare.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Arith32<TOp>(CpuContext* ctx, ulong fast, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes, SimdFpOp op)
        where TOp : struct, IVecOp
    {
        if (fast != 0)
        {
            var r = TOp.Apply(d.AsSingle(), a.AsSingle(), b.AsSingle());
            var biased = (r.AsInt32() & Vector128.Create(0x7FFFFFFF)) + Vector128.Create(0x00800000);
            var ok = Vector128.GreaterThan(biased, Vector128.Create(0x01000000));
            uint need = lanes == 4 ? 0xfu : 0x3u;
            if ((ok.ExtractMostSignificantBits() & need) == need)
                return lanes == 4 ? r.AsByte() : Vector128.Create(r.AsUInt64().GetElement(0), 0UL).AsByte();
        }
        return Binary(ctx, d, a, b, (ulong)op, 32, lanes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Arith64<TOp>(CpuContext* ctx, ulong fast, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes, SimdFpOp op)
        where TOp : struct, IVecOp
    {
        if (fast != 0)
        {
            var r = TOp.Apply(d.AsDouble(), a.AsDouble(), b.AsDouble());
            var biased = (r.AsInt64() & Vector128.Create(0x7FFFFFFFFFFFFFFFL)) + Vector128.Create(0x0010000000000000L);
            var ok = Vector128.GreaterThan(biased, Vector128.Create(0x0020000000000000L));
            uint need = lanes == 2 ? 0x3u : 0x1u;
            if ((ok.ExtractMostSignificantBits() & need) == need)
                return lanes == 2 ? r.AsByte() : Vector128.Create(r.AsUInt64().GetElement(0), 0UL).AsByte();
        }
        return Binary(ctx, d, a, b, (ulong)op, 64, lanes);
    }

    [FpStatusHelper, MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FAdd32(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => FAdd32Guarded(ctx, Fast(ctx), d, a, b, lanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FAdd32Guarded(CpuContext* ctx, ulong fast, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        Arith32<AddOp>(ctx, fast, d, a, b, lanes, SimdFpOp.Add);

    [FpStatusHelper, MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FSub32(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => FSub32Guarded(ctx, Fast(ctx), d, a, b, lanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FSub32Guarded(CpuContext* ctx, ulong fast, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        Arith32<SubOp>(ctx, fast, d, a, b, lanes, SimdFpOp.Sub);

    [FpStatusHelper, MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FMul32(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => FMul32Guarded(ctx, Fast(ctx), d, a, b, lanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FMul32Guarded(CpuContext* ctx, ulong fast, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        Arith32<MulOp>(ctx, fast, d, a, b, lanes, SimdFpOp.Mul);

    [FpStatusHelper, MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FDiv32(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => FDiv32Guarded(ctx, Fast(ctx), d, a, b, lanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FDiv32Guarded(CpuContext* ctx, ulong fast, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        Arith32<DivOp>(ctx, fast, d, a, b, lanes, SimdFpOp.Div);

    [FpStatusHelper, MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FMla32(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => FMla32Guarded(ctx, Fast(ctx), d, a, b, lanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FMla32Guarded(CpuContext* ctx, ulong fast, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        Arith32<MlaOp>(ctx, fast, d, a, b, lanes, SimdFpOp.Mla);

    [FpStatusHelper, MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FMls32(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => FMls32Guarded(ctx, Fast(ctx), d, a, b, lanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FMls32Guarded(CpuContext* ctx, ulong fast, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        Arith32<MlsOp>(ctx, fast, d, a, b, lanes, SimdFpOp.Mls);

    [FpStatusHelper, MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FAdd64(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => FAdd64Guarded(ctx, Fast(ctx), d, a, b, lanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FAdd64Guarded(CpuContext* ctx, ulong fast, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        Arith64<AddOp>(ctx, fast, d, a, b, lanes, SimdFpOp.Add);

    [FpStatusHelper, MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FSub64(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => FSub64Guarded(ctx, Fast(ctx), d, a, b, lanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FSub64Guarded(CpuContext* ctx, ulong fast, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        Arith64<SubOp>(ctx, fast, d, a, b, lanes, SimdFpOp.Sub);

    [FpStatusHelper, MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FMul64(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => FMul64Guarded(ctx, Fast(ctx), d, a, b, lanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FMul64Guarded(CpuContext* ctx, ulong fast, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        Arith64<MulOp>(ctx, fast, d, a, b, lanes, SimdFpOp.Mul);

    [FpStatusHelper, MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FDiv64(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => FDiv64Guarded(ctx, Fast(ctx), d, a, b, lanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FDiv64Guarded(CpuContext* ctx, ulong fast, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        Arith64<DivOp>(ctx, fast, d, a, b, lanes, SimdFpOp.Div);

    [FpStatusHelper, MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FMla64(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => FMla64Guarded(ctx, Fast(ctx), d, a, b, lanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FMla64Guarded(CpuContext* ctx, ulong fast, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        Arith64<MlaOp>(ctx, fast, d, a, b, lanes, SimdFpOp.Mla);

    [FpStatusHelper, MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FMls64(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => FMls64Guarded(ctx, Fast(ctx), d, a, b, lanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FMls64Guarded(CpuContext* ctx, ulong fast, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        Arith64<MlsOp>(ctx, fast, d, a, b, lanes, SimdFpOp.Mls);

    /// <summary>Unary lane op. param: bits 0-3 rounding (8 = FPCR), bit 4 unsigned, bits 8-15 fbits, bit 16 exact.</summary>
    [FpStatusHelper]
    public static Vector128<byte> Unary(CpuContext* ctx, Vector128<byte> a, ulong op, ulong esize, ulong lanes, ulong param)
    {
        var o = (SimdFpUnary)op;
        int n = (int)esize, count = (int)lanes;
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong roundingField = param & 0xf;
        var rounding = roundingField == 8 ? st.Rounding : (FpRounding)roundingField;
        bool isUnsigned = (param & 0x10) != 0, exact = (param & 0x10000) != 0;
        int fbits = (int)((param >> 8) & 0xff);
        var r = Vector128<byte>.Zero;
        for (int i = 0; i < count; i++)
        {
            ulong x = Lane(a, i, n);
            ulong v = o switch
            {
                SimdFpUnary.Abs => ArmFloat.Abs(x, n),
                SimdFpUnary.Neg => ArmFloat.Neg(x, n),
                SimdFpUnary.Sqrt => ArmFloat.Sqrt(x, n, ref st),
                SimdFpUnary.Round => ArmFloat.RoundToIntegral(x, n, rounding, exact, ref st),
                SimdFpUnary.ToInt => ArmFloat.ToFixed(x, n, fbits, isUnsigned, n, rounding, ref st),
                SimdFpUnary.FromInt => ArmFloat.FromFixed(x, n, fbits, isUnsigned, n, st.Rounding, ref st),
                SimdFpUnary.CmEqZ => Mask(ArmFloat.Compare(x, 0, n, false, ref st) == 0b0110UL << 28, n),
                SimdFpUnary.CmGeZ => Mask(ArmFloat.Compare(x, 0, n, true, ref st) >> 28 is 0b0110 or 0b0010, n),
                SimdFpUnary.CmGtZ => Mask(ArmFloat.Compare(x, 0, n, true, ref st) >> 28 == 0b0010, n),
                SimdFpUnary.CmLeZ => Mask(ArmFloat.Compare(x, 0, n, true, ref st) >> 28 is 0b0110 or 0b1000, n),
                SimdFpUnary.CmLtZ => Mask(ArmFloat.Compare(x, 0, n, true, ref st) >> 28 == 0b1000, n),
                SimdFpUnary.Recpe => ArmFloat.RecipEstimate(x, n, ref st),
                SimdFpUnary.Rsqrte => ArmFloat.RSqrtEstimate(x, n, ref st),
                SimdFpUnary.Recpx => ArmFloat.RecipExponent(x, n, ref st),
                SimdFpUnary.RoundInt32 => ArmFloat.RoundToIntN(x, n, 32, rounding, ref st),
                SimdFpUnary.RoundInt64 => ArmFloat.RoundToIntN(x, n, 64, rounding, ref st),
                _ => throw new ArgumentOutOfRangeException(nameof(op)),
            };
            SetLane(ref r, i, n, v);
        }
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    /// <summary>FMAXV/FMINV/FMAXNMV/FMINNMV: recursive halving as in the ARM Reduce() pseudocode.</summary>
    [FpStatusHelper]
    public static Vector128<byte> Reduce(CpuContext* ctx, Vector128<byte> a, ulong op, ulong esize, ulong lanes)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        int n = (int)esize;
        ulong r = ReduceRange(a, (SimdFpOp)op, n, 0, (int)lanes, ref st);
        ctx->Fpsr = st.Fpsr;
        return Vector128.Create(r, 0UL).AsByte();
    }

    private static ulong ReduceRange(Vector128<byte> a, SimdFpOp op, int n, int first, int count, ref FpStatus st)
    {
        if (count == 1) return Lane(a, first, n);
        int half = count / 2;
        ulong lo = ReduceRange(a, op, n, first, half, ref st);
        ulong hi = ReduceRange(a, op, n, first + half, half, ref st);
        return Apply(op, 0, lo, hi, n, ref st);
    }

    /// <summary>FCVTN/FCVTXN (narrow into the low or high half of d) and FCVTL (widen the low or high half of a).</summary>
    [FpStatusHelper]
    public static Vector128<byte> ConvertLanes(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, ulong fromN, ulong toN, ulong upper, ulong odd)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        int from = (int)fromN, to = (int)toN;
        var r = Vector128<byte>.Zero;
        if (to < from)
        {
            int count = 64 / to;
            int baseLane = upper != 0 ? count : 0;
            if (upper != 0) r = Vector128.Create(d.AsUInt64().GetElement(0), 0UL).AsByte();
            for (int i = 0; i < count; i++)
            {
                ulong x = Lane(a, i, from);
                ulong v = odd != 0 ? ArmFloat.ConvertDoubleToSingleOdd(x, ref st) : ArmFloat.Convert(x, from, to, ref st);
                SetLane(ref r, baseLane + i, to, v);
            }
        }
        else
        {
            int count = 64 / from;
            int baseLane = upper != 0 ? count : 0;
            for (int i = 0; i < count; i++)
                SetLane(ref r, i, to, ArmFloat.Convert(Lane(a, baseLane + i, from), from, to, ref st));
        }
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    /// <summary>FCVTXN scalar: one double to single, round to odd.</summary>
    [FpStatusHelper]
    public static Vector128<byte> ConvertOddScalar(CpuContext* ctx, Vector128<byte> a)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong v = ArmFloat.ConvertDoubleToSingleOdd(a.AsUInt64().GetElement(0), ref st);
        ctx->Fpsr = st.Fpsr;
        return Vector128.Create(v, 0UL).AsByte();
    }

    /// <summary>Element <paramref name="index"/> of b repeated in every lane (operand of the by-element forms).</summary>
    [PureHelper]
    public static Vector128<byte> DupLane(Vector128<byte> b, ulong esize, ulong index)
    {
        int n = (int)esize;
        ulong x = Lane(b, (int)index, n);
        var r = Vector128<byte>.Zero;
        for (int i = 0; i < 128 / n; i++) SetLane(ref r, i, n, x);
        return r;
    }
}
