using System.Runtime.Intrinsics;
using Emu.IR;

namespace Emu.Frontend.Translation;

/// <summary>
/// Int8 matrix multiply (FEAT_I8MM): SMMLA/UMMLA/USMMLA and the mixed-sign dot products USDOT/SUDOT.
/// Arithmetic is modulo 2^32 per 32-bit accumulator lane, as in the ARM ARM.
/// </summary>
public static class SimdMatrixHelpers
{
    private static int Byte(Vector128<byte> v, int i, bool isUnsigned) =>
        isUnsigned ? v.GetElement(i) : (sbyte)v.GetElement(i);

    /// <summary>
    /// SMMLA/UMMLA/USMMLA: Vd (2×2 int32) += Vn (2×8 rows) × transpose(Vm (2×8 rows)).
    /// <paramref name="signs"/>: bit 0 = Vn's bytes unsigned, bit 1 = Vm's bytes unsigned.
    /// </summary>
    [PureHelper]
    public static Vector128<byte> Mmla(Vector128<byte> d, Vector128<byte> n, Vector128<byte> m, ulong signs)
    {
        bool nU = (signs & 1) != 0, mU = (signs & 2) != 0;
        var acc = d.AsUInt32();
        Span<uint> r = stackalloc uint[4];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
            {
                uint sum = acc.GetElement(2 * i + j);
                for (int k = 0; k < 8; k++) sum += (uint)(Byte(n, 8 * i + k, nU) * Byte(m, 8 * j + k, mU));
                r[2 * i + j] = sum;
            }
        return Vector128.Create(r[0], r[1], r[2], r[3]).AsByte();
    }

    /// <summary>
    /// USDOT/SUDOT: each 32-bit lane of Vd adds the four byte products of the lane of Vn and of Vm (or of Vm's
    /// 32-bit element <paramref name="index"/> when index &lt; 4). signs as for <see cref="Mmla"/>; lanes 2 or 4,
    /// the rest of the result is zero.
    /// </summary>
    [PureHelper]
    public static Vector128<byte> MixedDot(Vector128<byte> d, Vector128<byte> n, Vector128<byte> m, ulong signs, ulong lanes, ulong index)
    {
        bool nU = (signs & 1) != 0, mU = (signs & 2) != 0;
        var acc = d.AsUInt32();
        Span<uint> r = stackalloc uint[4];
        for (int e = 0; e < (int)lanes; e++)
        {
            uint sum = acc.GetElement(e);
            int mLane = index < 4 ? (int)index : e;
            for (int k = 0; k < 4; k++) sum += (uint)(Byte(n, 4 * e + k, nU) * Byte(m, 4 * mLane + k, mU));
            r[e] = sum;
        }
        return Vector128.Create(r[0], r[1], r[2], r[3]).AsByte();
    }
}
