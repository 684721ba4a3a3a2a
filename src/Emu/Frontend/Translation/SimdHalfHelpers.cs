using System.Runtime.Intrinsics;
using Emu.Cpu;
using Emu.FloatingPoint;
using Emu.IR;

namespace Emu.Frontend.Translation;

/// <summary>
/// IR helpers for the widening half-precision (FHM) and BFloat16 instructions. Each writes the whole result
/// vector: lanes the instruction does not produce are zero (or, for the "2" narrowing forms, kept from d).
/// By-element forms get their element duplicated into every lane by the emitter first.
/// </summary>
public static unsafe class SimdHalfHelpers
{
    /// <summary>FMLAL/FMLSL (upper = 0) and FMLAL2/FMLSL2 (upper = 1): single lanes of d plus half products of n and m.</summary>
    [FpStatusHelper]
    public static Vector128<byte> MulAddLong(CpuContext* ctx, Vector128<byte> d, Vector128<byte> n, Vector128<byte> m, ulong lanes, ulong upper, ulong subtract)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        int count = (int)lanes, first = upper != 0 ? count : 0;
        var r = Vector128<uint>.Zero;
        for (int i = 0; i < count; i++)
        {
            ulong x = n.AsUInt16().GetElement(first + i);
            if (subtract != 0) x ^= 0x8000; // FPNeg before the product, so a NaN operand's sign flips too
            ulong y = m.AsUInt16().GetElement(first + i);
            r = r.WithElement(i, (uint)ArmFloat.MulAddWidening(d.AsUInt32().GetElement(i), x, y, ref st));
        }
        ctx->Fpsr = st.Fpsr;
        return r.AsByte();
    }

    /// <summary>BFCVT: the single in the low lane of a to BFloat16 in the low 16 bits, rest zero.</summary>
    [FpStatusHelper]
    public static Vector128<byte> ConvertToBf16Scalar(CpuContext* ctx, Vector128<byte> a)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong h = ArmFloat.ConvertToBFloat16(a.AsUInt32().GetElement(0), ref st);
        ctx->Fpsr = st.Fpsr;
        return Vector128.Create(h, 0UL).AsByte();
    }

    /// <summary>BFCVTN (upper = 0: low half, high half zeroed) and BFCVTN2 (upper = 1: high half, low half of d kept).</summary>
    [FpStatusHelper]
    public static Vector128<byte> ConvertToBf16Narrow(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, ulong upper)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        ulong packed = 0;
        for (int i = 0; i < 4; i++)
            packed |= ArmFloat.ConvertToBFloat16(a.AsUInt32().GetElement(i), ref st) << (16 * i);
        ctx->Fpsr = st.Fpsr;
        return (upper != 0 ? Vector128.Create(d.AsUInt64().GetElement(0), packed) : Vector128.Create(packed, 0UL)).AsByte();
    }

    /// <summary>BFDOT: each single lane of d plus the dot product of the BFloat16 pair in the same lane of n and m. No FPCR/FPSR use.</summary>
    [PureHelper]
    public static Vector128<byte> BfDot(Vector128<byte> d, Vector128<byte> n, Vector128<byte> m, ulong lanes)
    {
        var r = Vector128<uint>.Zero;
        var nh = n.AsUInt16();
        var mh = m.AsUInt16();
        for (int i = 0; i < (int)lanes; i++)
        {
            ulong v = ArmFloat.BfDotAdd(d.AsUInt32().GetElement(i), nh.GetElement(2 * i), nh.GetElement(2 * i + 1),
                mh.GetElement(2 * i), mh.GetElement(2 * i + 1));
            r = r.WithElement(i, (uint)v);
        }
        return r.AsByte();
    }

    /// <summary>BFMMLA: d (2x2 singles) += n (2x4 BFloat16, row-major) times the transpose of m (2x4).</summary>
    [PureHelper]
    public static Vector128<byte> BfMatMulAdd(Vector128<byte> d, Vector128<byte> n, Vector128<byte> m)
    {
        var r = Vector128<uint>.Zero;
        var nh = n.AsUInt16();
        var mh = m.AsUInt16();
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                ulong sum = d.AsUInt32().GetElement(2 * i + j);
                for (int k = 0; k < 2; k++)
                {
                    sum = ArmFloat.BfDotAdd(sum, nh.GetElement(4 * i + 2 * k), nh.GetElement(4 * i + 2 * k + 1),
                        mh.GetElement(4 * j + 2 * k), mh.GetElement(4 * j + 2 * k + 1));
                }
                r = r.WithElement(2 * i + j, (uint)sum);
            }
        }
        return r.AsByte();
    }

    /// <summary>BFMLALB (top = 0) / BFMLALT (top = 1): the even or odd BFloat16 lanes widened and fused into the single lanes of d.</summary>
    [FpStatusHelper]
    public static Vector128<byte> BfMulAddLong(CpuContext* ctx, Vector128<byte> d, Vector128<byte> n, Vector128<byte> m, ulong top)
    {
        var st = new FpStatus(ctx->Fpcr, ctx->Fpsr);
        var r = Vector128<uint>.Zero;
        int sel = (int)top;
        for (int i = 0; i < 4; i++)
        {
            ulong x = (ulong)n.AsUInt16().GetElement(2 * i + sel) << 16;
            ulong y = (ulong)m.AsUInt16().GetElement(2 * i + sel) << 16;
            r = r.WithElement(i, (uint)ArmFloat.MulAdd(d.AsUInt32().GetElement(i), x, y, 32, ref st));
        }
        ctx->Fpsr = st.Fpsr;
        return r.AsByte();
    }
}
