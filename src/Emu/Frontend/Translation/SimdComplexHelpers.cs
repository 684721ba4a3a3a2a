using System.Runtime.Intrinsics;
using Emu.Cpu;
using Emu.IR;
using Emu.FloatingPoint;

namespace Emu.Frontend.Translation;

/// <summary>
/// FCMLA and FCADD (FEAT_FCMA) on complex pairs (even lane = real, odd lane = imaginary) of H, S or D lanes,
/// lane by lane through <see cref="ArmFloat"/>: operands are negated before the multiply (FPNeg flips the
/// sign even of a NaN), each lane is one FPMulAdd or FPAdd with FPCR's modes and the FPSR flags it raises.
/// </summary>
public static unsafe class SimdComplexHelpers
{
    /// <summary>Index value meaning "pair e of Vm" (the vector forms) rather than one fixed pair.</summary>
    public const ulong NoIndex = ulong.MaxValue;

    private static ulong Lane(Vector128<byte> v, int i, int esize) => esize switch
    {
        64 => v.AsUInt64().GetElement(i),
        32 => v.AsUInt32().GetElement(i),
        _ => v.AsUInt16().GetElement(i),
    };

    private static Vector128<byte> WithLane(Vector128<byte> v, int i, int esize, ulong x) => esize switch
    {
        64 => v.AsUInt64().WithElement(i, x).AsByte(),
        32 => v.AsUInt32().WithElement(i, (uint)x).AsByte(),
        _ => v.AsUInt16().WithElement(i, (ushort)x).AsByte(),
    };

    /// <summary>
    /// FCMLA: for each pair e, with rotation rot (0..3 = 0, 90, 180, 270 degrees) and Vm's pair p (e, or
    /// <paramref name="index"/> for the by-element form), per the ARM ARM:
    /// rot 0: re += n.re*m.re, im += n.re*m.im; 90: re += n.im*-m.im, im += n.im*m.re;
    /// 180: re += n.re*-m.re, im += n.re*-m.im; 270: re += n.im*m.im, im += n.im*-m.re.
    /// </summary>
    [FpStatusHelper]
    public static Vector128<byte> Fcmla(CpuContext* ctx, Vector128<byte> d, Vector128<byte> n, Vector128<byte> m,
        ulong esize, ulong pairs, ulong rot, ulong index)
    {
        int es = (int)esize;
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        var r = Vector128<byte>.Zero;
        for (int e = 0; e < (int)pairs; e++)
        {
            int p = index == NoIndex ? e : (int)index;
            ulong mRe = Lane(m, 2 * p, es), mIm = Lane(m, 2 * p + 1, es);
            // rot 0/180 use n's real part, 90/270 its imaginary part.
            ulong nPart = Lane(n, 2 * e + (int)(rot & 1), es);
            ulong e1, e3;
            switch (rot)
            {
                case 0: e1 = mRe; e3 = mIm; break;
                case 1: e1 = ArmFloat.Neg(mIm, es); e3 = mRe; break;
                case 2: e1 = ArmFloat.Neg(mRe, es); e3 = ArmFloat.Neg(mIm, es); break;
                default: e1 = mIm; e3 = ArmFloat.Neg(mRe, es); break;
            }
            ulong re = ArmFloat.MulAdd(Lane(d, 2 * e, es), nPart, e1, es, ref st);
            ulong im = ArmFloat.MulAdd(Lane(d, 2 * e + 1, es), nPart, e3, es, ref st);
            r = WithLane(r, 2 * e, es, re);
            r = WithLane(r, 2 * e + 1, es, im);
        }
        ctx->Fpsr = st.Fpsr;
        return r;
    }

    /// <summary>FCADD: rot270 = 0 is #90 (re = n.re - m.im, im = n.im + m.re), 1 is #270 (re = n.re + m.im, im = n.im - m.re).</summary>
    [FpStatusHelper]
    public static Vector128<byte> Fcadd(CpuContext* ctx, Vector128<byte> n, Vector128<byte> m, ulong esize, ulong pairs, ulong rot270)
    {
        int es = (int)esize;
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        var r = Vector128<byte>.Zero;
        for (int e = 0; e < (int)pairs; e++)
        {
            ulong mRe = Lane(m, 2 * e, es), mIm = Lane(m, 2 * e + 1, es);
            ulong e1 = rot270 == 0 ? ArmFloat.Neg(mIm, es) : mIm;
            ulong e3 = rot270 == 0 ? mRe : ArmFloat.Neg(mRe, es);
            r = WithLane(r, 2 * e, es, ArmFloat.Add(Lane(n, 2 * e, es), e1, es, ref st));
            r = WithLane(r, 2 * e + 1, es, ArmFloat.Add(Lane(n, 2 * e + 1, es), e3, es, ref st));
        }
        ctx->Fpsr = st.Fpsr;
        return r;
    }
}
