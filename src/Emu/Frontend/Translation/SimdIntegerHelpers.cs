using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Emu.Cpu;
using Emu.IR;

namespace Emu.Frontend.Translation;

/// <summary>Lane operations of <see cref="SimdIntegerHelpers"/>; the emitter passes one as a constant.</summary>
public enum SimdIntOp
{
    SHadd, UHadd, SRhadd, URhadd, SHsub, UHsub,
    SQadd, UQadd, SQsub, UQsub,
    SShl, UShl, SRshl, URshl, SQshl, UQshl, SQrshl, UQrshl,
    Mul, Mla, Mls, Pmul,
    SQdmulh, SQrdmulh, SQrdmlah, SQrdmlsh,
    SAbd, UAbd, SAba, UAba,
    SUQadd, USQadd,
    // Unary (b ignored).
    Cls, Clz, Rbit, SQabs, SQneg, Urecpe, Ursqrte,
    // Shift by immediate: b's lanes hold the shift amount.
    SRshr, URshr, SRsra, URsra, Sri, Sli, SQshlImm, UQshlImm, SQshluImm,
}

/// <summary>Widening (three different, long) lane operations.</summary>
public enum SimdLongOp
{
    SMull, UMull, SMlal, UMlal, SMlsl, UMlsl,
    SAbdl, UAbdl, SAbal, UAbal,
    SQdmull, SQdmlal, SQdmlsl, Pmull,
}

/// <summary>
/// Advanced SIMD integer operations not covered by <see cref="SimdHelpers"/>. Conventions: <c>size</c> is
/// log2 of the element size in bytes; <c>n</c> is the number of active lanes (1 for scalar forms, 8/esize or
/// 16/esize bytes for vector forms) and every lane at or above n is zeroed in the result, so the emitter writes
/// results directly. Saturating operations take the guest context and set FPSR.QC (bit 27) when any active
/// lane saturates; the others are pure.
/// </summary>
public static unsafe class SimdIntegerHelpers
{
    private const ulong QcBit = 1UL << 27;

    // ---- lane access on a local vector ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Get(ref Vector128<byte> v, int i, int size)
    {
        ref byte b = ref Unsafe.Add(ref Unsafe.As<Vector128<byte>, byte>(ref v), i << size);
        return size switch
        {
            0 => b,
            1 => Unsafe.ReadUnaligned<ushort>(ref b),
            2 => Unsafe.ReadUnaligned<uint>(ref b),
            _ => Unsafe.ReadUnaligned<ulong>(ref b),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Set(ref Vector128<byte> v, int i, int size, ulong x)
    {
        ref byte b = ref Unsafe.Add(ref Unsafe.As<Vector128<byte>, byte>(ref v), i << size);
        switch (size)
        {
            case 0: b = (byte)x; break;
            case 1: Unsafe.WriteUnaligned(ref b, (ushort)x); break;
            case 2: Unsafe.WriteUnaligned(ref b, (uint)x); break;
            default: Unsafe.WriteUnaligned(ref b, x); break;
        }
    }

    private static long Sx(ulong x, int bits) => (long)(x << (64 - bits)) >> (64 - bits);

    private static ulong Mask(int bits) => bits >= 64 ? ulong.MaxValue : (1UL << bits) - 1;

    /// <summary>Signed saturation of a value that fits in a long (element sizes up to 32 bits: no Int128 needed).</summary>
    private static ulong SatS(long v, int bits, ref bool sat)
    {
        long max = (1L << (bits - 1)) - 1, min = -(1L << (bits - 1));
        if (v > max)
        {
            sat = true;
            v = max;
        }
        else if (v < min)
        {
            sat = true;
            v = min;
        }
        return (ulong)v & Mask(bits);
    }

    private static ulong SatU(long v, int bits, ref bool sat)
    {
        long max = (long)Mask(bits);
        if (v > max)
        {
            sat = true;
            return (ulong)max;
        }
        if (v < 0)
        {
            sat = true;
            return 0;
        }
        return (ulong)v;
    }

    private static ulong SatS(Int128 v, int bits, ref bool sat)
    {
        Int128 max = (Int128.One << (bits - 1)) - 1, min = -(Int128.One << (bits - 1));
        if (v > max)
        {
            sat = true;
            v = max;
        }
        else if (v < min)
        {
            sat = true;
            v = min;
        }
        return (ulong)(long)v & Mask(bits);
    }

    private static ulong SatU(Int128 v, int bits, ref bool sat)
    {
        Int128 max = (Int128)Mask(bits);
        if (v > max)
        {
            sat = true;
            return Mask(bits);
        }
        if (v < 0)
        {
            sat = true;
            return 0;
        }
        return (ulong)v;
    }

    /// <summary>Zeroes every lane at or above <paramref name="n"/>.</summary>
    private static Vector128<byte> Keep(Vector128<byte> v, int size, int n)
    {
        int bytes = n << size;
        if (bytes >= 16) return v;
        if (bytes == 8) return v.AsUInt64().WithElement(1, 0UL).AsByte();
        return Vector128.Create(Mask(bytes * 8), 0UL).AsByte() & v;
    }

    private static void SetQc(CpuContext* ctx, bool sat)
    {
        if (sat) ctx->Fpsr |= QcBit;
    }

    // ---- shifts ----

    /// <summary>
    /// The SSHL family: x (an esize lane, zero-extended) shifted left by a signed amount (right when negative),
    /// optionally rounding right shifts and saturating left shifts.
    /// </summary>
    private static ulong ShiftByRegister(ulong x, int shift, int bits, bool signed, bool round, bool saturate, ref bool sat)
    {
        if (shift >= 0)
        {
            if (!saturate) return shift >= bits ? 0 : (x << shift) & Mask(bits);
            if (x == 0) return 0;
            if (bits <= 32 && shift < bits)
                return signed ? SatS(Sx(x, bits) << shift, bits, ref sat) : SatU((long)x << shift, bits, ref sat);
            if (signed)
            {
                long sx = Sx(x, bits);
                if (shift >= bits) return SatS(sx < 0 ? Int128.MinValue : Int128.MaxValue, bits, ref sat);
                return SatS((Int128)sx << shift, bits, ref sat);
            }
            if (shift >= bits) return SatU(Int128.MaxValue, bits, ref sat);
            return SatU((Int128)x << shift, bits, ref sat);
        }
        int s = -shift;
        if (bits <= 32)
        {
            // |value| < 2^32: a rounding shift by 33 or more always gives 0.
            long lv = signed ? Sx(x, bits) : (long)x;
            if (round) lv = s > 32 ? 0 : (lv + (1L << (s - 1))) >> s;
            else lv >>= Math.Min(s, 63);
            return (ulong)lv & Mask(bits);
        }
        Int128 v = signed ? (Int128)Sx(x, bits) : (Int128)x;
        if (round)
        {
            if (s > 64) return 0;
            v = (v + (Int128.One << (s - 1))) >> s;
        }
        else
            v = v >> Math.Min(s, 64);
        return (ulong)(long)v & Mask(bits);
    }

    private static ulong Pmul8(ulong x, ulong y)
    {
        ulong r = 0;
        for (int i = 0; i < 8; i++)
            if ((y >> i & 1) != 0) r ^= x << i;
        return r;
    }

    private static ulong RecipEstimate(ulong a)
    {
        a = a * 2 + 1;
        ulong b = (1UL << 19) / a;
        return (b + 1) / 2;
    }

    private static ulong RecipSqrtEstimate(ulong a)
    {
        if (a < 256) a = a * 2 + 1;
        else
        {
            a = (a >> 1) << 1;
            a = (a + 1) * 2;
        }
        ulong b = 512;
        while (a * (b + 1) * (b + 1) < (1UL << 28)) b++;
        return (b + 1) / 2;
    }

    /// <summary>One lane of <paramref name="op"/>: d is the destination lane (accumulating forms), x and y the operands, all zero-extended.</summary>
    private static ulong LaneOp(SimdIntOp op, ulong d, ulong x, ulong y, int bits, ref bool sat)
    {
        ulong m = Mask(bits);
        long sx = Sx(x, bits), sy = Sx(y, bits);
        switch (op)
        {
            case SimdIntOp.SHadd: return (ulong)((sx + sy) >> 1) & m;
            case SimdIntOp.UHadd: return ((x + y) >> 1) & m;
            case SimdIntOp.SRhadd: return (ulong)((sx + sy + 1) >> 1) & m;
            case SimdIntOp.URhadd: return ((x + y + 1) >> 1) & m;
            case SimdIntOp.SHsub: return (ulong)((sx - sy) >> 1) & m;
            case SimdIntOp.UHsub: return (ulong)(((long)x - (long)y) >> 1) & m;
            case SimdIntOp.SQadd: return bits <= 32 ? SatS(sx + sy, bits, ref sat) : SatS((Int128)sx + sy, bits, ref sat);
            case SimdIntOp.UQadd: return bits <= 32 ? SatU((long)(x + y), bits, ref sat) : SatU((Int128)x + y, bits, ref sat);
            case SimdIntOp.SQsub: return bits <= 32 ? SatS(sx - sy, bits, ref sat) : SatS((Int128)sx - sy, bits, ref sat);
            case SimdIntOp.UQsub: return bits <= 32 ? SatU((long)x - (long)y, bits, ref sat) : SatU((Int128)x - y, bits, ref sat);
            case SimdIntOp.SShl: return ShiftByRegister(x, (sbyte)y, bits, true, false, false, ref sat);
            case SimdIntOp.UShl: return ShiftByRegister(x, (sbyte)y, bits, false, false, false, ref sat);
            case SimdIntOp.SRshl: return ShiftByRegister(x, (sbyte)y, bits, true, true, false, ref sat);
            case SimdIntOp.URshl: return ShiftByRegister(x, (sbyte)y, bits, false, true, false, ref sat);
            case SimdIntOp.SQshl: return ShiftByRegister(x, (sbyte)y, bits, true, false, true, ref sat);
            case SimdIntOp.UQshl: return ShiftByRegister(x, (sbyte)y, bits, false, false, true, ref sat);
            case SimdIntOp.SQrshl: return ShiftByRegister(x, (sbyte)y, bits, true, true, true, ref sat);
            case SimdIntOp.UQrshl: return ShiftByRegister(x, (sbyte)y, bits, false, true, true, ref sat);
            case SimdIntOp.Mul: return (x * y) & m;
            case SimdIntOp.Mla: return (d + x * y) & m;
            case SimdIntOp.Mls: return (d - x * y) & m;
            case SimdIntOp.Pmul: return Pmul8(x, y) & 0xff;
            // (2ab) >> esize computed as ab >> (esize-1): the same floor, and ab fits in a long for H and S lanes.
            case SimdIntOp.SQdmulh: return SatS((sx * sy) >> (bits - 1), bits, ref sat);
            case SimdIntOp.SQrdmulh: return SatS((sx * sy + (1L << (bits - 2))) >> (bits - 1), bits, ref sat);
            case SimdIntOp.SQrdmlah:
                return SatS((((Int128)Sx(d, bits) << bits) + (Int128)sx * sy * 2 + (Int128.One << (bits - 1))) >> bits, bits, ref sat);
            case SimdIntOp.SQrdmlsh:
                return SatS((((Int128)Sx(d, bits) << bits) - (Int128)sx * sy * 2 + (Int128.One << (bits - 1))) >> bits, bits, ref sat);
            case SimdIntOp.SAbd: return (ulong)Math.Abs(sx - sy) & m;
            case SimdIntOp.UAbd: return (x > y ? x - y : y - x) & m;
            case SimdIntOp.SAba: return (d + (ulong)Math.Abs(sx - sy)) & m;
            case SimdIntOp.UAba: return (d + (x > y ? x - y : y - x)) & m;
            case SimdIntOp.SUQadd: return SatS((Int128)Sx(d, bits) + x, bits, ref sat);
            case SimdIntOp.USQadd: return SatU((Int128)d + sx, bits, ref sat);
            case SimdIntOp.Cls: return (ulong)(BitOperations.LeadingZeroCount((ulong)(sx ^ (sx >> 63))) - 1 - (64 - bits));
            case SimdIntOp.Clz: return (ulong)(BitOperations.LeadingZeroCount(x) - (64 - bits));
            case SimdIntOp.Rbit: return (ulong)(byte)((x * 0x0202020202UL & 0x010884422010UL) % 1023);
            case SimdIntOp.SQabs: return SatS(Int128.Abs(sx), bits, ref sat);
            case SimdIntOp.SQneg: return SatS(-(Int128)sx, bits, ref sat);
            case SimdIntOp.Urecpe: return (x >> 31) == 0 ? 0xffffffffUL : (RecipEstimate(x >> 23) & 0x1ff) << 23;
            case SimdIntOp.Ursqrte: return (x >> 30) == 0 ? 0xffffffffUL : (RecipSqrtEstimate(x >> 23) & 0x1ff) << 23;
            case SimdIntOp.SRshr: return ShiftByRegister(x, -(int)y, bits, true, true, false, ref sat);
            case SimdIntOp.URshr: return ShiftByRegister(x, -(int)y, bits, false, true, false, ref sat);
            case SimdIntOp.SRsra: return (d + ShiftByRegister(x, -(int)y, bits, true, true, false, ref sat)) & m;
            case SimdIntOp.URsra: return (d + ShiftByRegister(x, -(int)y, bits, false, true, false, ref sat)) & m;
            case SimdIntOp.Sri:
                {
                    if ((int)y >= bits) return d;
                    ulong mask = m >> (int)y;
                    return (d & ~mask) | (x >> (int)y);
                }
            case SimdIntOp.Sli:
                {
                    ulong mask = (m << (int)y) & m;
                    return (d & ~mask) | ((x << (int)y) & m);
                }
            case SimdIntOp.SQshlImm: return ShiftByRegister(x, (int)y, bits, true, false, true, ref sat);
            case SimdIntOp.UQshlImm: return ShiftByRegister(x, (int)y, bits, false, false, true, ref sat);
            case SimdIntOp.SQshluImm: return SatU((Int128)sx << (int)y, bits, ref sat);
            default: throw new ArgumentOutOfRangeException(nameof(op));
        }
    }

    private static Vector128<byte> LanesCore(Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, SimdIntOp op, int size, int n, ref bool sat)
    {
        var r = Vector128<byte>.Zero;
        int bits = 8 << size;
        for (int i = 0; i < n; i++)
            Set(ref r, i, size, LaneOp(op, Get(ref d, i, size), Get(ref a, i, size), Get(ref b, i, size), bits, ref sat));
        return r;
    }

    /// <summary>A non-saturating lane operation over the first n lanes of d (accumulator), a and b.</summary>
    [PureHelper]
    public static Vector128<byte> Lanes(Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong op, ulong size, ulong n)
    {
        var o = (SimdIntOp)op;
        int s = (int)size;
        if (s < 3 && o is SimdIntOp.Mul or SimdIntOp.Mla or SimdIntOp.Mls)
        {
            var p = s switch
            {
                0 => MulBytes(a, b),
                1 => (a.AsUInt16() * b.AsUInt16()).AsByte(),
                _ => (a.AsUInt32() * b.AsUInt32()).AsByte(),
            };
            if (o == SimdIntOp.Mla) p = SimdHelpers.Add(d, p, size);
            else if (o == SimdIntOp.Mls) p = SimdHelpers.Sub(d, p, size);
            return Keep(p, s, (int)n);
        }
        if (s < 3 && o is SimdIntOp.UAbd or SimdIntOp.SAbd or SimdIntOp.UAba or SimdIntOp.SAba)
        {
            // |a - b| = max - min, exact modulo 2^esize.
            bool signed = o is SimdIntOp.SAbd or SimdIntOp.SAba;
            var diff = s switch
            {
                0 => signed ? (Vector128.Max(a.AsSByte(), b.AsSByte()) - Vector128.Min(a.AsSByte(), b.AsSByte())).AsByte() : Vector128.Max(a, b) - Vector128.Min(a, b),
                1 => signed ? (Vector128.Max(a.AsInt16(), b.AsInt16()) - Vector128.Min(a.AsInt16(), b.AsInt16())).AsByte()
                    : (Vector128.Max(a.AsUInt16(), b.AsUInt16()) - Vector128.Min(a.AsUInt16(), b.AsUInt16())).AsByte(),
                _ => signed ? (Vector128.Max(a.AsInt32(), b.AsInt32()) - Vector128.Min(a.AsInt32(), b.AsInt32())).AsByte()
                    : (Vector128.Max(a.AsUInt32(), b.AsUInt32()) - Vector128.Min(a.AsUInt32(), b.AsUInt32())).AsByte(),
            };
            if (o is SimdIntOp.UAba or SimdIntOp.SAba) diff = SimdHelpers.Add(d, diff, size);
            return Keep(diff, s, (int)n);
        }
        if (s < 3 && o is SimdIntOp.UHadd or SimdIntOp.SHadd or SimdIntOp.URhadd or SimdIntOp.SRhadd)
            return Keep(Halving(a, b, o, s), s, (int)n);
        if (Avx2.IsSupported && (o == SimdIntOp.UShl && s >= 1 || o == SimdIntOp.SShl && s is 1 or 2))
            return Keep(ShiftVariable(a, b, o == SimdIntOp.SShl, s), s, (int)n);
        bool sat = false;
        return LanesCore(d, a, b, o, s, (int)n, ref sat);
    }

    /// <summary>
    /// Halving adds without widening: floor((a+b)/2) = (a AND b) + ((a XOR b) &gt;&gt; 1) and
    /// ceil((a+b)/2) = (a OR b) - ((a XOR b) &gt;&gt; 1), with an arithmetic shift for the signed forms.
    /// </summary>
    private static Vector128<byte> Halving(Vector128<byte> a, Vector128<byte> b, SimdIntOp op, int size)
    {
        bool round = op is SimdIntOp.URhadd or SimdIntOp.SRhadd, signed = op is SimdIntOp.SHadd or SimdIntOp.SRhadd;
        var x = a ^ b;
        Vector128<byte> half = (size, signed) switch
        {
            (0, false) => x >>> 1,
            (0, true) => (x.AsSByte() >> 1).AsByte(),
            (1, false) => (x.AsUInt16() >>> 1).AsByte(),
            (1, true) => (x.AsInt16() >> 1).AsByte(),
            (_, false) => (x.AsUInt32() >>> 1).AsByte(),
            _ => (x.AsInt32() >> 1).AsByte(),
        };
        return round ? SimdHelpers.Sub(a | b, half, (ulong)size) : SimdHelpers.Add(a & b, half, (ulong)size);
    }

    /// <summary>
    /// SSHL/USHL for 16- and 32-bit lanes and USHL for 64-bit lanes with AVX2 variable shifts: the count is the signed
    /// low byte of each lane of b; out-of-range counts give 0 (or the sign for arithmetic right shifts), as on ARM.
    /// </summary>
    private static Vector128<byte> ShiftVariable(Vector128<byte> a, Vector128<byte> b, bool signed, int size)
    {
        if (size == 1)
        {
            // 16-bit lanes: extend to 32 bits (sign for SSHL), shift there and truncate; counts of 16 and more
            // leave zeros (or the sign) in the low half just as the 16-bit shift would.
            var wa = signed ? (Vector128.WidenLower(a.AsInt16()).AsByte(), Vector128.WidenUpper(a.AsInt16()).AsByte())
                : (Vector128.WidenLower(a.AsUInt16()).AsByte(), Vector128.WidenUpper(a.AsUInt16()).AsByte());
            var wb = (Vector128.WidenLower(b.AsInt16()).AsByte(), Vector128.WidenUpper(b.AsInt16()).AsByte());
            var lo = ShiftVariable(wa.Item1, wb.Item1, signed, 2).AsUInt32();
            var hi = ShiftVariable(wa.Item2, wb.Item2, signed, 2).AsUInt32();
            return Vector128.Narrow(lo, hi).AsByte();
        }
        if (size == 2)
        {
            var count = (b.AsInt32() << 24) >> 24;
            var left = Avx2.ShiftLeftLogicalVariable(a.AsUInt32(), count.AsUInt32());
            var negated = (-count).AsUInt32();
            var right = signed ? Avx2.ShiftRightArithmeticVariable(a.AsInt32(), negated).AsUInt32() : Avx2.ShiftRightLogicalVariable(a.AsUInt32(), negated);
            return Vector128.ConditionalSelect(Vector128.LessThan(count, Vector128<int>.Zero).AsUInt32(), right, left).AsByte();
        }
        var count64 = (b.AsInt64() << 56) >> 56;
        var left64 = Avx2.ShiftLeftLogicalVariable(a.AsUInt64(), count64.AsUInt64());
        var right64 = Avx2.ShiftRightLogicalVariable(a.AsUInt64(), (-count64).AsUInt64());
        return Vector128.ConditionalSelect(Vector128.LessThan(count64, Vector128<long>.Zero).AsUInt64(), right64, left64).AsByte();
    }

    /// <summary>Byte lanes multiplied modulo 256, through two 16-bit multiplies.</summary>
    private static Vector128<byte> MulBytes(Vector128<byte> a, Vector128<byte> b)
    {
        var a16 = a.AsUInt16();
        var b16 = b.AsUInt16();
        var even = (a16 * b16) & Vector128.Create((ushort)0xff);
        var odd = ((a16 >> 8) * (b16 >> 8)) << 8;
        return (even | odd).AsByte();
    }

    /// <summary>A saturating lane operation; sets FPSR.QC if any active lane saturates.</summary>
    [FpStatusHelper]
    public static Vector128<byte> LanesSat(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong op, ulong size, ulong n)
    {
        var o = (SimdIntOp)op;
        if (Sse2.IsSupported && size < 2 && o is SimdIntOp.SQadd or SimdIntOp.UQadd or SimdIntOp.SQsub or SimdIntOp.UQsub)
        {
            // Inactive lanes are zeroed first so they cannot saturate; QC is set where the result differs from wrapping.
            a = Keep(a, (int)size, (int)n);
            b = Keep(b, (int)size, (int)n);
            Vector128<byte> result, wrap;
            bool add = o is SimdIntOp.SQadd or SimdIntOp.UQadd;
            if (size == 0)
            {
                wrap = add ? a + b : a - b;
                result = o switch
                {
                    SimdIntOp.SQadd => Sse2.AddSaturate(a.AsSByte(), b.AsSByte()).AsByte(),
                    SimdIntOp.UQadd => Sse2.AddSaturate(a, b),
                    SimdIntOp.SQsub => Sse2.SubtractSaturate(a.AsSByte(), b.AsSByte()).AsByte(),
                    _ => Sse2.SubtractSaturate(a, b),
                };
            }
            else
            {
                wrap = add ? (a.AsUInt16() + b.AsUInt16()).AsByte() : (a.AsUInt16() - b.AsUInt16()).AsByte();
                result = o switch
                {
                    SimdIntOp.SQadd => Sse2.AddSaturate(a.AsInt16(), b.AsInt16()).AsByte(),
                    SimdIntOp.UQadd => Sse2.AddSaturate(a.AsUInt16(), b.AsUInt16()).AsByte(),
                    SimdIntOp.SQsub => Sse2.SubtractSaturate(a.AsInt16(), b.AsInt16()).AsByte(),
                    _ => Sse2.SubtractSaturate(a.AsUInt16(), b.AsUInt16()).AsByte(),
                };
            }
            SetQc(ctx, result != wrap);
            return result;
        }
        if (Ssse3.IsSupported && size == 1 && o is SimdIntOp.SQdmulh or SimdIntOp.SQrdmulh)
        {
            // pmulhrsw is (ab + 2^14) >> 15 = SQRDMULH; (ab) >> 15 from pmulhw:pmullw is SQDMULH. Both wrap only
            // for -32768 * -32768, which saturates to 0x7fff.
            var x = Keep(a, 1, (int)n).AsInt16();
            var y = Keep(b, 1, (int)n).AsInt16();
            Vector128<short> product = o == SimdIntOp.SQrdmulh ? Ssse3.MultiplyHighRoundScale(x, y)
                : (Sse2.MultiplyHigh(x, y) << 1) | (Sse2.MultiplyLow(x, y).AsUInt16() >>> 15).AsInt16();
            var min = Vector128.Create(short.MinValue);
            var overflow = Vector128.Equals(x, min) & Vector128.Equals(y, min);
            SetQc(ctx, overflow != Vector128<short>.Zero);
            return (product ^ overflow).AsByte();
        }
        bool sat = false;
        var r = LanesCore(d, a, b, (SimdIntOp)op, (int)size, (int)n, ref sat);
        SetQc(ctx, sat);
        return r;
    }

    private static Vector128<byte> LanesImmCore(Vector128<byte> d, Vector128<byte> a, ulong imm, SimdIntOp op, int size, int n, ref bool sat)
    {
        var r = Vector128<byte>.Zero;
        int bits = 8 << size;
        for (int i = 0; i < n; i++)
            Set(ref r, i, size, LaneOp(op, Get(ref d, i, size), Get(ref a, i, size), imm, bits, ref sat));
        return r;
    }

    /// <summary>A non-saturating lane operation whose second operand is <paramref name="imm"/> in every lane (shift by immediate, unary ops).</summary>
    [PureHelper]
    public static Vector128<byte> LanesImm(Vector128<byte> d, Vector128<byte> a, ulong imm, ulong op, ulong size, ulong n)
    {
        bool sat = false;
        return LanesImmCore(d, a, imm, (SimdIntOp)op, (int)size, (int)n, ref sat);
    }

    /// <summary>The saturating form of <see cref="LanesImm"/>; sets FPSR.QC.</summary>
    [FpStatusHelper]
    public static Vector128<byte> LanesImmSat(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, ulong imm, ulong op, ulong size, ulong n)
    {
        bool sat = false;
        var r = LanesImmCore(d, a, imm, (SimdIntOp)op, (int)size, (int)n, ref sat);
        SetQc(ctx, sat);
        return r;
    }

    // ---- widening, narrowing, pairwise ----

    private static ulong LongLane(SimdLongOp op, ulong d, ulong x, ulong y, int bits, ref bool sat)
    {
        int wide = bits * 2;
        ulong m = Mask(wide);
        long sx = Sx(x, bits), sy = Sx(y, bits);
        switch (op)
        {
            case SimdLongOp.SMull: return (ulong)(sx * sy) & m;
            case SimdLongOp.UMull: return (x * y) & m;
            case SimdLongOp.SMlal: return (d + (ulong)(sx * sy)) & m;
            case SimdLongOp.UMlal: return (d + x * y) & m;
            case SimdLongOp.SMlsl: return (d - (ulong)(sx * sy)) & m;
            case SimdLongOp.UMlsl: return (d - x * y) & m;
            case SimdLongOp.SAbdl: return (ulong)Math.Abs(sx - sy) & m;
            case SimdLongOp.UAbdl: return (x > y ? x - y : y - x) & m;
            case SimdLongOp.SAbal: return (d + (ulong)Math.Abs(sx - sy)) & m;
            case SimdLongOp.UAbal: return (d + (x > y ? x - y : y - x)) & m;
            case SimdLongOp.SQdmull: return SatS((Int128)sx * sy * 2, wide, ref sat);
            case SimdLongOp.SQdmlal:
                {
                    ulong p = SatS((Int128)sx * sy * 2, wide, ref sat);
                    return SatS((Int128)Sx(d, wide) + Sx(p, wide), wide, ref sat);
                }
            case SimdLongOp.SQdmlsl:
                {
                    ulong p = SatS((Int128)sx * sy * 2, wide, ref sat);
                    return SatS((Int128)Sx(d, wide) - Sx(p, wide), wide, ref sat);
                }
            case SimdLongOp.Pmull:
                {
                    ulong r = 0;
                    for (int i = 0; i < bits; i++)
                        if ((y >> i & 1) != 0) r ^= x << i;
                    return r & m;
                }
            default: throw new ArgumentOutOfRangeException(nameof(op));
        }
    }

    private static Vector128<byte> LongCore(Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, SimdLongOp op, int size, int part, int n, ref bool sat)
    {
        var r = Vector128<byte>.Zero;
        int first = part * (8 >> size), bits = 8 << size;
        for (int i = 0; i < n; i++)
            Set(ref r, i, size + 1, LongLane(op, Get(ref d, i, size + 1), Get(ref a, first + i, size), Get(ref b, first + i, size), bits, ref sat));
        return r;
    }

    /// <summary>The lanes of the lower or upper half of a, sign- or zero-extended to twice the size.</summary>
    private static Vector128<byte> Widen(Vector128<byte> a, int size, bool upper, bool signed) => (size, signed) switch
    {
        (0, true) => (upper ? Vector128.WidenUpper(a.AsSByte()) : Vector128.WidenLower(a.AsSByte())).AsByte(),
        (0, false) => (upper ? Vector128.WidenUpper(a) : Vector128.WidenLower(a)).AsByte(),
        (1, true) => (upper ? Vector128.WidenUpper(a.AsInt16()) : Vector128.WidenLower(a.AsInt16())).AsByte(),
        (1, false) => (upper ? Vector128.WidenUpper(a.AsUInt16()) : Vector128.WidenLower(a.AsUInt16())).AsByte(),
        (_, true) => (upper ? Vector128.WidenUpper(a.AsInt32()) : Vector128.WidenLower(a.AsInt32())).AsByte(),
        _ => (upper ? Vector128.WidenUpper(a.AsUInt32()) : Vector128.WidenLower(a.AsUInt32())).AsByte(),
    };

    /// <summary>
    /// Widening multiply/abs-diff family: lanes first..first+n-1 of a and b (first = part * lanes per half,
    /// size the source element size) combine into n lanes of twice the size, accumulating into d.
    /// </summary>
    [PureHelper]
    public static Vector128<byte> Long(Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong op, ulong size, ulong part, ulong n)
    {
        var o = (SimdLongOp)op;
        if ((int)n == 8 >> (int)size && size < 3 && o is SimdLongOp.UMull or SimdLongOp.UMlal or SimdLongOp.UMlsl or SimdLongOp.SMull
            or SimdLongOp.SMlal or SimdLongOp.SMlsl or SimdLongOp.UAbdl or SimdLongOp.UAbal or SimdLongOp.SAbdl or SimdLongOp.SAbal)
        {
            // Widen the selected halves, then operate at twice the size (the auto-vectorized loops' hot path).
            bool signed = o is SimdLongOp.SMull or SimdLongOp.SMlal or SimdLongOp.SMlsl or SimdLongOp.SAbdl or SimdLongOp.SAbal;
            var wa = Widen(a, (int)size, part != 0, signed);
            var wb = Widen(b, (int)size, part != 0, signed);
            ulong wide = size + 1;
            Vector128<byte> v;
            if (o is SimdLongOp.UAbdl or SimdLongOp.UAbal or SimdLongOp.SAbdl or SimdLongOp.SAbal)
                v = signed ? SimdHelpers.Sub(SimdHelpers.SMax(wa, wb, wide), SimdHelpers.SMin(wa, wb, wide), wide)
                    : SimdHelpers.Sub(SimdHelpers.UMax(wa, wb, wide), SimdHelpers.UMin(wa, wb, wide), wide);
            else
                v = size switch
                {
                    0 => (wa.AsUInt16() * wb.AsUInt16()).AsByte(),
                    1 => (wa.AsUInt32() * wb.AsUInt32()).AsByte(),
                    _ => (wa.AsUInt64() * wb.AsUInt64()).AsByte(),
                };
            if (o is SimdLongOp.UMlal or SimdLongOp.SMlal or SimdLongOp.UAbal or SimdLongOp.SAbal) v = SimdHelpers.Add(d, v, wide);
            else if (o is SimdLongOp.UMlsl or SimdLongOp.SMlsl) v = SimdHelpers.Sub(d, v, wide);
            return v;
        }
        bool sat = false;
        return LongCore(d, a, b, o, (int)size, (int)part, (int)n, ref sat);
    }

    /// <summary>The saturating widening family (SQDMULL/SQDMLAL/SQDMLSL); sets FPSR.QC on saturation.</summary>
    [FpStatusHelper]
    public static Vector128<byte> LongSat(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong op, ulong size, ulong part, ulong n)
    {
        bool sat = false;
        var r = LongCore(d, a, b, (SimdLongOp)op, (int)size, (int)part, (int)n, ref sat);
        SetQc(ctx, sat);
        return r;
    }

    /// <summary>
    /// Narrowing right shift of the n lanes (2*esize wide, size the destination element size) of a by
    /// <paramref name="shift"/> (0..esize), optionally rounding, then truncated (satKind 0), saturated to signed
    /// (1) or to unsigned (2); the source is signed when srcSigned. part 1 writes the upper half of d (keeping
    /// its lower half), part 0 the lower half with the rest zero. Covers SHRN..SQRSHRUN and SQXTN/UQXTN/SQXTUN.
    /// </summary>
    [FpStatusHelper]
    public static Vector128<byte> ShiftNarrow(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, ulong shift, ulong size, ulong part,
        ulong n, ulong round, ulong srcSigned, ulong satKind)
    {
        int s = (int)size, bits = 8 << s, sh = (int)shift;
        bool sat = false;
        var narrow = Vector128<byte>.Zero;
        if (round == 0 && satKind != 0 && s < 3 && (int)n == 8 >> s)
            narrow = NarrowSaturate(a, sh, s, srcSigned != 0, satKind == 1, ref sat);
        else
            for (int i = 0; i < (int)n; i++)
            {
                ulong x = Get(ref a, i, s + 1);
                Int128 v = srcSigned != 0 ? (Int128)Sx(x, 2 * bits) : (Int128)x;
                if (round != 0 && sh > 0) v += Int128.One << (sh - 1);
                v >>= sh;
                ulong r = satKind switch
                {
                    1 => SatS(v, bits, ref sat),
                    2 => SatU(v, bits, ref sat),
                    _ => (ulong)(long)v & Mask(bits),
                };
                Set(ref narrow, i, s, r);
            }
        SetQc(ctx, sat);
        if (part == 0) return narrow;
        return d.AsUInt64().WithElement(1, narrow.AsUInt64().GetElement(0)).AsByte();
    }

    /// <summary>
    /// The vector SQXTN/UQXTN/SQXTUN and non-rounding SQSHRN/UQSHRN/SQSHRUN: shift the double-width lanes, clamp
    /// them to the signed (toSigned) or unsigned range of the narrow size, then truncate; saturated where clamping
    /// changed a lane.
    /// </summary>
    private static Vector128<byte> NarrowSaturate(Vector128<byte> a, int shift, int size, bool srcSigned, bool toSigned, ref bool sat)
    {
        int bits = 8 << size;
        long lo = toSigned ? -(1L << (bits - 1)) : 0, hi = toSigned ? (1L << (bits - 1)) - 1 : (long)Mask(bits);
        switch (size, srcSigned)
        {
            case (0, true):
                {
                    var v = a.AsInt16() >> shift;
                    var c = Vector128.Clamp(v, Vector128.Create((short)lo), Vector128.Create((short)hi));
                    sat = c != v;
                    return Vector128.Narrow(c.AsUInt16(), Vector128<ushort>.Zero);
                }
            case (0, false):
                {
                    var v = a.AsUInt16() >>> shift;
                    var c = Vector128.Min(v, Vector128.Create((ushort)hi));
                    sat = c != v;
                    return Vector128.Narrow(c, Vector128<ushort>.Zero);
                }
            case (1, true):
                {
                    var v = a.AsInt32() >> shift;
                    var c = Vector128.Clamp(v, Vector128.Create((int)lo), Vector128.Create((int)hi));
                    sat = c != v;
                    return Vector128.Narrow(c.AsUInt32(), Vector128<uint>.Zero).AsByte();
                }
            case (1, false):
                {
                    var v = a.AsUInt32() >>> shift;
                    var c = Vector128.Min(v, Vector128.Create((uint)hi));
                    sat = c != v;
                    return Vector128.Narrow(c, Vector128<uint>.Zero).AsByte();
                }
            case (_, true):
                {
                    var v = a.AsInt64() >> shift;
                    var c = Vector128.Clamp(v, Vector128.Create(lo), Vector128.Create(hi));
                    sat = c != v;
                    return Vector128.Narrow(c.AsUInt64(), Vector128<ulong>.Zero).AsByte();
                }
            default:
                {
                    var v = a.AsUInt64() >>> shift;
                    var c = Vector128.Min(v, Vector128.Create((ulong)hi));
                    sat = c != v;
                    return Vector128.Narrow(c, Vector128<ulong>.Zero).AsByte();
                }
        }
    }

    /// <summary>ADDHN/RADDHN/SUBHN/RSUBHN(2): the high half of each 2*esize sum or difference, optionally rounded.</summary>
    [PureHelper]
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into its precompiled cold-tier thunk (ReadyToRun cannot call a method taking a Vector128)
    public static Vector128<byte> HighNarrow(Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong size, ulong part, ulong subtract, ulong round)
    {
        int s = (int)size, bits = 8 << s, n = 8 >> s;
        var narrow = Vector128<byte>.Zero;
        for (int i = 0; i < n; i++)
        {
            ulong x = Get(ref a, i, s + 1), y = Get(ref b, i, s + 1);
            ulong v = subtract != 0 ? x - y : x + y;
            if (round != 0) v += 1UL << (bits - 1);
            Set(ref narrow, i, s, v >> bits);
        }
        if (part == 0) return narrow;
        return d.AsUInt64().WithElement(1, narrow.AsUInt64().GetElement(0)).AsByte();
    }

    /// <summary>SADDLP/UADDLP (accumulate 0) and SADALP/UADALP: adjacent pairs of a widened and summed into n lanes of twice the size.</summary>
    [PureHelper]
    public static Vector128<byte> AddPairLong(Vector128<byte> d, Vector128<byte> a, ulong size, ulong n, ulong signed, ulong accumulate)
    {
        int s = (int)size, bits = 8 << s;
        if (s == 0 && signed == 0 && n == 8)
        {
            // UADDLP/UADALP .8H: the byte pairs of each halfword.
            var h = a.AsUInt16();
            var sum = (h & Vector128.Create((ushort)0xff)) + (h >> 8);
            return (accumulate != 0 ? sum + d.AsUInt16() : sum).AsByte();
        }
        var r = Vector128<byte>.Zero;
        ulong m = Mask(2 * bits);
        for (int i = 0; i < (int)n; i++)
        {
            ulong x = Get(ref a, 2 * i, s), y = Get(ref a, 2 * i + 1, s);
            ulong sum = signed != 0 ? (ulong)(Sx(x, bits) + Sx(y, bits)) : x + y;
            if (accumulate != 0) sum += Get(ref d, i, s + 1);
            Set(ref r, i, s + 1, sum & m);
        }
        return r;
    }

    /// <summary>SDOT/UDOT: each 32-bit lane of d plus the sum of four byte products of a and b (n lanes).</summary>
    [PureHelper]
    public static Vector128<byte> Dot(Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong signed, ulong n)
    {
        var r = Vector128<byte>.Zero;
        for (int i = 0; i < (int)n; i++)
        {
            uint acc = (uint)Get(ref d, i, 2);
            for (int k = 0; k < 4; k++)
            {
                int j = 4 * i + k;
                acc += signed != 0 ? (uint)((sbyte)a.GetElement(j) * (sbyte)b.GetElement(j)) : (uint)(a.GetElement(j) * b.GetElement(j));
            }
            Set(ref r, i, 2, acc);
        }
        return r;
    }

    /// <summary>Lane <paramref name="index"/> of a replicated into every lane (the by-element operand).</summary>
    [PureHelper]
    public static Vector128<byte> DupLane(Vector128<byte> a, ulong index, ulong size) =>
        SimdHelpers.Dup(Get(ref a, (int)index, (int)size), size);

    /// <summary>Lane 0 of a only (the scalar operand), the rest zero.</summary>
    [PureHelper]
    public static Vector128<byte> LowLane(Vector128<byte> a, ulong size) => Keep(a, (int)size, 1);
}
