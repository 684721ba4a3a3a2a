using Emu.Cpu;
using Emu.IR;

namespace Emu.FloatingPoint;

/// <summary>
/// IR helpers for scalar FP: operands and results are bit patterns in the low n bits of a ulong
/// (n = 16/32/64, passed as an argument). Helpers taking the context read FPCR and accumulate FPSR, and
/// touch nothing else in it (<see cref="FpStatusHelperAttribute"/>).
/// </summary>
public static unsafe class FpScalarHelpers
{
    /// <summary>Rounding argument value meaning "FPCR.RMode".</summary>
    public const ulong RoundingFromFpcr = 8;

    private static FpRounding RoundingOf(ulong rounding, in FpStatus st) =>
        rounding == RoundingFromFpcr ? st.Rounding : (FpRounding)rounding;

    [PureHelper]
    public static ulong FAbs(ulong a, ulong n) => ArmFloat.Abs(a, (int)n);

    [PureHelper]
    public static ulong FNeg(ulong a, ulong n) => ArmFloat.Neg(a, (int)n);

    [FpStatusHelper]
    public static ulong FAdd(CpuContext* ctx, ulong a, ulong b, ulong n)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.Add(a, b, (int)n, ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    [FpStatusHelper]
    public static ulong FSub(CpuContext* ctx, ulong a, ulong b, ulong n)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.Sub(a, b, (int)n, ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    [FpStatusHelper]
    public static ulong FMul(CpuContext* ctx, ulong a, ulong b, ulong n)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.Mul(a, b, (int)n, ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    [FpStatusHelper]
    public static ulong FNMul(CpuContext* ctx, ulong a, ulong b, ulong n)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.MulNeg(a, b, (int)n, ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    [FpStatusHelper]
    public static ulong FDiv(CpuContext* ctx, ulong a, ulong b, ulong n)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.Div(a, b, (int)n, ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    [FpStatusHelper]
    public static ulong FMax(CpuContext* ctx, ulong a, ulong b, ulong n)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.Max(a, b, (int)n, ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    [FpStatusHelper]
    public static ulong FMin(CpuContext* ctx, ulong a, ulong b, ulong n)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.Min(a, b, (int)n, ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    [FpStatusHelper]
    public static ulong FMaxNm(CpuContext* ctx, ulong a, ulong b, ulong n)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.MaxNum(a, b, (int)n, ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    [FpStatusHelper]
    public static ulong FMinNm(CpuContext* ctx, ulong a, ulong b, ulong n)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.MinNum(a, b, (int)n, ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    [FpStatusHelper]
    public static ulong FSqrt(CpuContext* ctx, ulong a, ulong n)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.Sqrt(a, (int)n, ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    /// <summary>FMADD family: addend + op1*op2 after the optional negations of addend and op1 (as the ARM pseudocode does them).</summary>
    [FpStatusHelper]
    public static ulong FMulAdd(CpuContext* ctx, ulong addend, ulong op1, ulong op2, ulong n, ulong negateAddend, ulong negateOp1)
    {
        int w = (int)n;
        if (negateAddend != 0) addend = ArmFloat.Neg(addend, w);
        if (negateOp1 != 0) op1 = ArmFloat.Neg(op1, w);
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.MulAdd(addend, op1, op2, w, ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    /// <summary>FCMP/FCMPE: the NZCV value.</summary>
    [FpStatusHelper]
    public static ulong FCmp(CpuContext* ctx, ulong a, ulong b, ulong n, ulong signalAll)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.Compare(a, b, (int)n, signalAll != 0, ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    /// <summary>FCCMP/FCCMPE: the comparison's NZCV if the condition held, else the immediate flags (no FP exceptions then).</summary>
    [FpStatusHelper]
    public static ulong FCcmp(CpuContext* ctx, ulong a, ulong b, ulong n, ulong signalAll, ulong conditionHolds, ulong nzcvImmediate) =>
        conditionHolds != 0 ? FCmp(ctx, a, b, n, signalAll) : nzcvImmediate;

    /// <summary>FRINT[NAPMZXI]: rounding 0..4 (<see cref="FpRounding"/>) or <see cref="RoundingFromFpcr"/>.</summary>
    [FpStatusHelper]
    public static ulong FRound(CpuContext* ctx, ulong a, ulong n, ulong rounding, ulong exact)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.RoundToIntegral(a, (int)n, RoundingOf(rounding, st), exact != 0, ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    /// <summary>FRINT32Z/32X/64Z/64X.</summary>
    [FpStatusHelper]
    public static ulong FRoundIntN(CpuContext* ctx, ulong a, ulong n, ulong intBits, ulong rounding)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.RoundToIntN(a, (int)n, (int)intBits, RoundingOf(rounding, st), ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    /// <summary>FCVT between precisions.</summary>
    [FpStatusHelper]
    public static ulong FConvert(CpuContext* ctx, ulong a, ulong fromN, ulong toN)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.Convert(a, (int)fromN, (int)toN, ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    /// <summary>FCVT[NAPMZ][SU] (and fixed-point FCVTZS/U): FP to a 32/64-bit integer, zero-extended.</summary>
    [FpStatusHelper]
    public static ulong FToInt(CpuContext* ctx, ulong a, ulong n, ulong fbits, ulong isUnsigned, ulong intBits, ulong rounding)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.ToFixed(a, (int)n, (int)fbits, isUnsigned != 0, (int)intBits, RoundingOf(rounding, st), ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    /// <summary>SCVTF/UCVTF (and fixed-point forms): a 32/64-bit integer to FP with FPCR rounding.</summary>
    [FpStatusHelper]
    public static ulong IntToF(CpuContext* ctx, ulong value, ulong intBits, ulong fbits, ulong isUnsigned, ulong n)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.FromFixed(value, (int)intBits, (int)fbits, isUnsigned != 0, (int)n, st.Rounding, ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    /// <summary>FJCVTZS result (Wd).</summary>
    [FpStatusHelper]
    public static ulong FJcvtzs(CpuContext* ctx, ulong a)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.ToInt32Js(a, ref st, out _);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    /// <summary>FJCVTZS flags: NZCV = 0Z00. Raising the FPSR flags again is harmless (they are cumulative).</summary>
    [FpStatusHelper]
    public static ulong FJcvtzsFlags(CpuContext* ctx, ulong a)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ArmFloat.ToInt32Js(a, ref st, out bool exact);
        ctx->Fpsr = st.Fpsr;
        return exact ? 1UL << 30 : 0;
    }

    [FpStatusHelper]
    public static ulong FRecpe(CpuContext* ctx, ulong a, ulong n)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.RecipEstimate(a, (int)n, ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    [FpStatusHelper]
    public static ulong FRsqrte(CpuContext* ctx, ulong a, ulong n)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.RSqrtEstimate(a, (int)n, ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    [FpStatusHelper]
    public static ulong FRecpx(CpuContext* ctx, ulong a, ulong n)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.RecipExponent(a, (int)n, ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    [FpStatusHelper]
    public static ulong FRecps(CpuContext* ctx, ulong a, ulong b, ulong n)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.RecipStep(a, b, (int)n, ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    [FpStatusHelper]
    public static ulong FRsqrts(CpuContext* ctx, ulong a, ulong b, ulong n)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong r = ArmFloat.RSqrtStep(a, b, (int)n, ref st);
        ctx->Fpsr = st.Fpsr;
        return r;
    }
}
