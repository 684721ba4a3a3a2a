using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Emu.IR;

namespace Emu.Frontend.Translation;

/// <summary>
/// Advanced SIMD operations called from IR. Vectors are Vector128&lt;byte&gt; with little-endian lanes;
/// <c>size</c> is log2 of the element size in bytes (0 = B … 3 = D); <c>q</c> is 1 for 128-bit forms,
/// 0 for 64-bit forms (whose upper half the emitter or the helper clears).
/// </summary>
public static class SimdHelpers
{
    // Forced inline where Tier 1 calls the helper with constant size/q/index operands: the switches on them
    // fold away and the operation becomes one or two host instructions instead of a call.
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    // ---- lane access ----

    [MethodImpl(Inline)]
    private static ulong Lane(Vector128<byte> v, int i, int size) => size switch
    {
        0 => v.GetElement(i),
        1 => v.AsUInt16().GetElement(i),
        2 => v.AsUInt32().GetElement(i),
        _ => v.AsUInt64().GetElement(i),
    };

    [MethodImpl(Inline)]
    private static Vector128<byte> WithLane(Vector128<byte> v, int i, int size, ulong x) => size switch
    {
        0 => v.WithElement(i, (byte)x),
        1 => v.AsUInt16().WithElement(i, (ushort)x).AsByte(),
        2 => v.AsUInt32().WithElement(i, (uint)x).AsByte(),
        _ => v.AsUInt64().WithElement(i, x).AsByte(),
    };

    [MethodImpl(Inline)]
    private static long SignedLane(Vector128<byte> v, int i, int size)
    {
        int bits = 8 << size;
        return (long)(Lane(v, i, size) << (64 - bits)) >> (64 - bits);
    }

    [MethodImpl(Inline)]
    private static ulong LaneMask(int size) => size == 3 ? ulong.MaxValue : (1UL << (8 << size)) - 1;

    // Shifts by a count as the SSE2 instructions take it: ReadyToRun cannot precompile Vector128.ShiftLeft/
    // ShiftRightLogical (it leaves them to the JIT), so a cold-tier thunk using them was JIT-compiled at
    // start-up. The count is masked as Vector128's shifts mask it. A variable count becomes the instructions'
    // register-count form (the JIT's own fallback), a constant one the immediate form.
#pragma warning disable CA1857 // constant where Tier 1 inlines with a constant count
    [MethodImpl(Inline)]
    private static Vector128<ushort> ShiftRightLogical(Vector128<ushort> v, int count) =>
        System.Runtime.Intrinsics.X86.Sse2.IsSupported ? System.Runtime.Intrinsics.X86.Sse2.ShiftRightLogical(v, (byte)(count & 15)) : Vector128.ShiftRightLogical(v, count);

    [MethodImpl(Inline)]
    private static Vector128<uint> ShiftRightLogical(Vector128<uint> v, int count) =>
        System.Runtime.Intrinsics.X86.Sse2.IsSupported ? System.Runtime.Intrinsics.X86.Sse2.ShiftRightLogical(v, (byte)(count & 31)) : Vector128.ShiftRightLogical(v, count);

    [MethodImpl(Inline)]
    private static Vector128<ulong> ShiftRightLogical(Vector128<ulong> v, int count) =>
        System.Runtime.Intrinsics.X86.Sse2.IsSupported ? System.Runtime.Intrinsics.X86.Sse2.ShiftRightLogical(v, (byte)(count & 63)) : Vector128.ShiftRightLogical(v, count);

    [MethodImpl(Inline)]
    private static Vector128<ushort> ShiftLeft(Vector128<ushort> v, int count) =>
        System.Runtime.Intrinsics.X86.Sse2.IsSupported ? System.Runtime.Intrinsics.X86.Sse2.ShiftLeftLogical(v, (byte)(count & 15)) : Vector128.ShiftLeft(v, count);

    [MethodImpl(Inline)]
    private static Vector128<uint> ShiftLeft(Vector128<uint> v, int count) =>
        System.Runtime.Intrinsics.X86.Sse2.IsSupported ? System.Runtime.Intrinsics.X86.Sse2.ShiftLeftLogical(v, (byte)(count & 31)) : Vector128.ShiftLeft(v, count);

    [MethodImpl(Inline)]
    private static Vector128<ulong> ShiftLeft(Vector128<ulong> v, int count) =>
        System.Runtime.Intrinsics.X86.Sse2.IsSupported ? System.Runtime.Intrinsics.X86.Sse2.ShiftLeftLogical(v, (byte)(count & 63)) : Vector128.ShiftLeft(v, count);
#pragma warning restore CA1857

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> ZeroUpper(Vector128<byte> v) =>
        System.Runtime.Intrinsics.X86.Sse2.IsSupported
            ? System.Runtime.Intrinsics.X86.Sse2.MoveScalar(v.AsUInt64()).AsByte() // one movq, not an insert
            : v.AsUInt64().WithElement(1, 0UL).AsByte();

    /// <summary>The low 32 bits, the rest zero (FMOV Sd, Sn): one vector AND, no trip through a general register.</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> KeepLow32(Vector128<byte> v) => (v.AsUInt32() & Vector128.Create(uint.MaxValue, 0u, 0u, 0u)).AsByte();

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> FromPair(ulong low, ulong high) => Vector128.Create(low, high).AsByte();

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> FromScalar(ulong low) => Vector128.CreateScalar(low).AsByte(); // movq zeroes the upper half

    [PureHelper]
    [MethodImpl(Inline)]
    public static ulong Low64(Vector128<byte> v) => v.AsUInt64().GetElement(0);

    /// <summary>The low 32-bit lane, zero-extended (FMOV Wd, Sn): one vmovd, where Low64 and an extension take two.</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static ulong Low32(Vector128<byte> v) => v.AsUInt32().ToScalar();

    [PureHelper]
    [MethodImpl(Inline)]
    public static ulong High64(Vector128<byte> v) => v.AsUInt64().GetElement(1);

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> WithHigh64(Vector128<byte> v, ulong high) => v.AsUInt64().WithElement(1, high).AsByte();

    /// <summary>Lane <paramref name="index"/>, zero-extended (UMOV).</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static ulong ExtractLane(Vector128<byte> v, ulong index, ulong size) => Lane(v, (int)index, (int)size);

    /// <summary>Lane <paramref name="index"/>, sign-extended to 64 bits (SMOV).</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static ulong ExtractLaneSigned(Vector128<byte> v, ulong index, ulong size) => (ulong)SignedLane(v, (int)index, (int)size);

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> InsertLane(Vector128<byte> v, ulong value, ulong index, ulong size) => WithLane(v, (int)index, (int)size, value);

    /// <summary>The low element of <paramref name="value"/> in every lane (128 bits).</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> Dup(ulong value, ulong size) => size switch
    {
        0 => Vector128.Create((byte)value),
        1 => Vector128.Create((ushort)value).AsByte(),
        2 => Vector128.Create((uint)value).AsByte(),
        _ => Vector128.Create(value).AsByte(),
    };

    // ---- bitwise ----

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> And(Vector128<byte> a, Vector128<byte> b) => a & b;

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> Bic(Vector128<byte> a, Vector128<byte> b) => Vector128.AndNot(a, b);

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> Orr(Vector128<byte> a, Vector128<byte> b) => a | b;

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> Orn(Vector128<byte> a, Vector128<byte> b) => a | ~b;

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> Eor(Vector128<byte> a, Vector128<byte> b) => a ^ b;

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> Not(Vector128<byte> a) => ~a;

    /// <summary>BSL: bits of n where d is set, else bits of m.</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> Bsl(Vector128<byte> d, Vector128<byte> n, Vector128<byte> m) => Vector128.ConditionalSelect(d, n, m);

    /// <summary>BIT: bits of n inserted into d where m is set.</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> Bit(Vector128<byte> d, Vector128<byte> n, Vector128<byte> m) => Vector128.ConditionalSelect(m, n, d);

    /// <summary>BIF: bits of n inserted into d where m is clear.</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> Bif(Vector128<byte> d, Vector128<byte> n, Vector128<byte> m) => Vector128.ConditionalSelect(m, d, n);

    // ---- lane-wise arithmetic and compares (full 128 bits; the emitter clears the upper half for 64-bit forms) ----

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> Add(Vector128<byte> a, Vector128<byte> b, ulong size) => size switch
    {
        0 => a + b,
        1 => (a.AsUInt16() + b.AsUInt16()).AsByte(),
        2 => (a.AsUInt32() + b.AsUInt32()).AsByte(),
        _ => (a.AsUInt64() + b.AsUInt64()).AsByte(),
    };

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> Sub(Vector128<byte> a, Vector128<byte> b, ulong size) => size switch
    {
        0 => a - b,
        1 => (a.AsUInt16() - b.AsUInt16()).AsByte(),
        2 => (a.AsUInt32() - b.AsUInt32()).AsByte(),
        _ => (a.AsUInt64() - b.AsUInt64()).AsByte(),
    };

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> CmEq(Vector128<byte> a, Vector128<byte> b, ulong size) => size switch
    {
        0 => Vector128.Equals(a, b),
        1 => Vector128.Equals(a.AsUInt16(), b.AsUInt16()).AsByte(),
        2 => Vector128.Equals(a.AsUInt32(), b.AsUInt32()).AsByte(),
        _ => Vector128.Equals(a.AsUInt64(), b.AsUInt64()).AsByte(),
    };

    /// <summary>CMTST: all ones where a AND b is non-zero.</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> CmTst(Vector128<byte> a, Vector128<byte> b, ulong size) => ~CmEq(a & b, Vector128<byte>.Zero, size);

    /// <summary>CMHI: unsigned a &gt; b.</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> CmHi(Vector128<byte> a, Vector128<byte> b, ulong size) => size switch
    {
        0 => Vector128.GreaterThan(a, b),
        1 => Vector128.GreaterThan(a.AsUInt16(), b.AsUInt16()).AsByte(),
        2 => Vector128.GreaterThan(a.AsUInt32(), b.AsUInt32()).AsByte(),
        _ => Vector128.GreaterThan(a.AsUInt64(), b.AsUInt64()).AsByte(),
    };

    /// <summary>CMHS: unsigned a &gt;= b.</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> CmHs(Vector128<byte> a, Vector128<byte> b, ulong size) => ~CmHi(b, a, size);

    /// <summary>CMGT: signed a &gt; b.</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> CmGt(Vector128<byte> a, Vector128<byte> b, ulong size) => size switch
    {
        0 => Vector128.GreaterThan(a.AsSByte(), b.AsSByte()).AsByte(),
        1 => Vector128.GreaterThan(a.AsInt16(), b.AsInt16()).AsByte(),
        2 => Vector128.GreaterThan(a.AsInt32(), b.AsInt32()).AsByte(),
        _ => Vector128.GreaterThan(a.AsInt64(), b.AsInt64()).AsByte(),
    };

    /// <summary>CMGE: signed a &gt;= b.</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> CmGe(Vector128<byte> a, Vector128<byte> b, ulong size) => ~CmGt(b, a, size);

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> UMax(Vector128<byte> a, Vector128<byte> b, ulong size) => size switch
    {
        // One host instruction per size (pmaxub/uw/ud; vpmaxuq with AVX-512).
        0 => Vector128.Max(a, b),
        1 => Vector128.Max(a.AsUInt16(), b.AsUInt16()).AsByte(),
        2 => Vector128.Max(a.AsUInt32(), b.AsUInt32()).AsByte(),
        _ => Vector128.Max(a.AsUInt64(), b.AsUInt64()).AsByte(),
    };

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> UMin(Vector128<byte> a, Vector128<byte> b, ulong size) => size switch
    {
        0 => Vector128.Min(a, b),
        1 => Vector128.Min(a.AsUInt16(), b.AsUInt16()).AsByte(),
        2 => Vector128.Min(a.AsUInt32(), b.AsUInt32()).AsByte(),
        _ => Vector128.Min(a.AsUInt64(), b.AsUInt64()).AsByte(),
    };

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> SMax(Vector128<byte> a, Vector128<byte> b, ulong size) => size switch
    {
        0 => Vector128.Max(a.AsSByte(), b.AsSByte()).AsByte(),
        1 => Vector128.Max(a.AsInt16(), b.AsInt16()).AsByte(),
        2 => Vector128.Max(a.AsInt32(), b.AsInt32()).AsByte(),
        _ => Vector128.Max(a.AsInt64(), b.AsInt64()).AsByte(),
    };

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> SMin(Vector128<byte> a, Vector128<byte> b, ulong size) => size switch
    {
        0 => Vector128.Min(a.AsSByte(), b.AsSByte()).AsByte(),
        1 => Vector128.Min(a.AsInt16(), b.AsInt16()).AsByte(),
        2 => Vector128.Min(a.AsInt32(), b.AsInt32()).AsByte(),
        _ => Vector128.Min(a.AsInt64(), b.AsInt64()).AsByte(),
    };

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> Abs(Vector128<byte> a, ulong size) => Vector128.ConditionalSelect(CmGt(Vector128<byte>.Zero, a, size), Sub(Vector128<byte>.Zero, a, size), a);

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> Neg(Vector128<byte> a, ulong size) => Sub(Vector128<byte>.Zero, a, size);

    // ---- pairwise and across lanes ----

    private enum PairOp
    {
        Add,
        UMax,
        UMin,
        SMax,
        SMin,
    }

    private static ulong Combine(PairOp op, ulong x, ulong y, int size)
    {
        int bits = 8 << size;
        long sx = (long)(x << (64 - bits)) >> (64 - bits), sy = (long)(y << (64 - bits)) >> (64 - bits);
        return op switch
        {
            PairOp.Add => x + y,
            PairOp.UMax => Math.Max(x, y),
            PairOp.UMin => Math.Min(x, y),
            PairOp.SMax => (ulong)Math.Max(sx, sy),
            _ => (ulong)Math.Min(sx, sy),
        } & LaneMask(size);
    }

    /// <summary>Pairwise op over the concatenation b:a (a supplies the low result lanes): op(even lanes, odd lanes).</summary>
    [MethodImpl(Inline)]
    private static Vector128<byte> Pairwise(PairOp op, Vector128<byte> a, Vector128<byte> b, int size, bool q)
    {
        Vector128<byte> evens, odds;
        if (q)
        {
            evens = UnzipFull(a, b, size, 0);
            odds = UnzipFull(a, b, size, 1);
        }
        else
        {
            // The 64-bit form pairs within the low halves: unzip the single vector a.low:b.low.
            var c = Vector128.Create(a.AsUInt64().GetElement(0), b.AsUInt64().GetElement(0)).AsByte();
            evens = UnzipFull(c, c, size, 0);
            odds = UnzipFull(c, c, size, 1);
        }
        ulong sz = (ulong)size;
        var r = op switch
        {
            PairOp.Add => Add(evens, odds, sz),
            PairOp.UMax => UMax(evens, odds, sz),
            PairOp.UMin => UMin(evens, odds, sz),
            PairOp.SMax => SMax(evens, odds, sz),
            _ => SMin(evens, odds, sz),
        };
        return q ? r : ZeroUpper(r);
    }


    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> AddP(Vector128<byte> a, Vector128<byte> b, ulong size, ulong q) => Pairwise(PairOp.Add, a, b, (int)size, q != 0);

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> UMaxP(Vector128<byte> a, Vector128<byte> b, ulong size, ulong q) => Pairwise(PairOp.UMax, a, b, (int)size, q != 0);

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> UMinP(Vector128<byte> a, Vector128<byte> b, ulong size, ulong q) => Pairwise(PairOp.UMin, a, b, (int)size, q != 0);

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> SMaxP(Vector128<byte> a, Vector128<byte> b, ulong size, ulong q) => Pairwise(PairOp.SMax, a, b, (int)size, q != 0);

    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> SMinP(Vector128<byte> a, Vector128<byte> b, ulong size, ulong q) => Pairwise(PairOp.SMin, a, b, (int)size, q != 0);

    private static ulong Across(PairOp op, Vector128<byte> a, int size, bool q)
    {
        int n = (q ? 16 : 8) >> size;
        ulong acc = Lane(a, 0, size);
        for (int i = 1; i < n; i++) acc = Combine(op, acc, Lane(a, i, size), size);
        return acc;
    }

    /// <summary>ADDV: the sum of the lanes, truncated to the element size.</summary>
    [PureHelper]
    public static ulong AddV(Vector128<byte> a, ulong size, ulong q) => Across(PairOp.Add, a, (int)size, q != 0);

    [PureHelper]
    public static ulong UMaxV(Vector128<byte> a, ulong size, ulong q) => Across(PairOp.UMax, a, (int)size, q != 0);

    [PureHelper]
    public static ulong UMinV(Vector128<byte> a, ulong size, ulong q) => Across(PairOp.UMin, a, (int)size, q != 0);

    [PureHelper]
    public static ulong SMaxV(Vector128<byte> a, ulong size, ulong q) => Across(PairOp.SMax, a, (int)size, q != 0);

    [PureHelper]
    public static ulong SMinV(Vector128<byte> a, ulong size, ulong q) => Across(PairOp.SMin, a, (int)size, q != 0);

    /// <summary>UADDLV: the unsigned sum of the lanes at twice the element size.</summary>
    [PureHelper]
    public static ulong UAddLV(Vector128<byte> a, ulong size, ulong q)
    {
        int n = (q != 0 ? 16 : 8) >> (int)size;
        ulong acc = 0;
        for (int i = 0; i < n; i++) acc += Lane(a, i, (int)size);
        return acc & LaneMask((int)size + 1);
    }

    /// <summary>SADDLV: the signed sum of the lanes at twice the element size.</summary>
    [PureHelper]
    public static ulong SAddLV(Vector128<byte> a, ulong size, ulong q)
    {
        int n = (q != 0 ? 16 : 8) >> (int)size;
        long acc = 0;
        for (int i = 0; i < n; i++) acc += SignedLane(a, i, (int)size);
        return (ulong)acc & LaneMask((int)size + 1);
    }

    // ---- shifts by immediate ----

    /// <summary>SHL: left shift by 0..esize-1.</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> Shl(Vector128<byte> a, ulong shift, ulong size)
    {
        // (int)shift at each use, not a local: RyuJIT picks the immediate form only for a count that is constant
        // when it imports the intrinsic, and an inlinee's local is not (the count went through an xmm register).
        return size switch
        {
            // 16-bit shifts carry bits across byte lanes; the mask drops them.
            0 => ShiftLeft(a.AsUInt16(), (int)shift).AsByte() & Vector128.Create((byte)(0xFF << (int)shift)),
            1 => ShiftLeft(a.AsUInt16(), (int)shift).AsByte(),
            2 => ShiftLeft(a.AsUInt32(), (int)shift).AsByte(),
            _ => ShiftLeft(a.AsUInt64(), (int)shift).AsByte(),
        };
    }


    /// <summary>USHR: logical right shift by 1..esize (esize gives zero).</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> UShr(Vector128<byte> a, ulong shift, ulong size)
    {
        if (shift >= 8UL << (int)size) return Vector128<byte>.Zero;
        // The count as an expression of the argument at each use: see Shl.
        return size switch
        {
            0 => ShiftRightLogical(a.AsUInt16(), (int)shift).AsByte() & Vector128.Create((byte)(0xFF >> (int)shift)),
            1 => ShiftRightLogical(a.AsUInt16(), (int)shift).AsByte(),
            2 => ShiftRightLogical(a.AsUInt32(), (int)shift).AsByte(),
            _ => ShiftRightLogical(a.AsUInt64(), (int)shift).AsByte(),
        };
    }


    /// <summary>SSHR: arithmetic right shift by 1..esize (esize gives the sign in every bit).</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> SShr(Vector128<byte> a, ulong shift, ulong size) =>
        // Two calls, each count an expression of the arguments, not one clamped local: see Shl.
        shift < 8UL << (int)size ? SShrBy(a, (int)shift, size) : SShrBy(a, (8 << (int)size) - 1, size);

    [MethodImpl(Inline)]
    private static Vector128<byte> SShrBy(Vector128<byte> a, int sh, ulong size)
    {
        switch (size)
        {
            case 1: return Vector128.ShiftRightArithmetic(a.AsInt16(), sh).AsByte();
            case 2: return Vector128.ShiftRightArithmetic(a.AsInt32(), sh).AsByte();
            case 3: return Vector128.ShiftRightArithmetic(a.AsInt64(), sh).AsByte();
        }
        // Bytes: shift the high byte of each halfword in place, and the low byte after moving it up.
        var high = Vector128.ShiftRightArithmetic(a.AsInt16(), sh).AsByte();
        var low = Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(a.AsInt16(), 8), sh + 8).AsByte();
        return Vector128.ConditionalSelect(Vector128.Create((ushort)0xFF00).AsByte(), high, low);
    }


    /// <summary>SHRN/SHRN2 (part 0/1): shift the 2*esize lanes of a right and narrow into the lower or upper half.</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> Shrn(Vector128<byte> d, Vector128<byte> a, ulong shift, ulong size, ulong part)
    {
        // Vector128.Narrow truncates each wide lane, which is what SHRN keeps. The count: see Shl.
        var narrow = size switch
        {
            0 => Vector128.Narrow(ShiftRightLogical(a.AsUInt16(), (int)shift), Vector128<ushort>.Zero),
            1 => Vector128.Narrow(ShiftRightLogical(a.AsUInt32(), (int)shift), Vector128<uint>.Zero).AsByte(),
            _ => Vector128.Narrow(ShiftRightLogical(a.AsUInt64(), (int)shift), Vector128<ulong>.Zero).AsByte(),
        };
        return part == 0 ? ZeroUpper(narrow) : WithHigh64(d, Low64(narrow));
    }

    /// <summary>USHLL/SSHLL(2): widen the lanes of the lower (part 0) or upper half of a and shift left.</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> Shll(Vector128<byte> a, ulong shift, ulong size, ulong part, ulong signed)
    {
        bool upper = part != 0; // the count: see Shl
        // Widen the chosen half with the host's sign/zero extension, then shift the wide lanes.
        return (size, signed != 0) switch
        {
            (0, false) => Vector128.ShiftLeft(upper ? Vector128.WidenUpper(a) : Vector128.WidenLower(a), (int)shift).AsByte(),
            (0, true) => Vector128.ShiftLeft(upper ? Vector128.WidenUpper(a.AsSByte()) : Vector128.WidenLower(a.AsSByte()), (int)shift).AsByte(),
            (1, false) => Vector128.ShiftLeft(upper ? Vector128.WidenUpper(a.AsUInt16()) : Vector128.WidenLower(a.AsUInt16()), (int)shift).AsByte(),
            (1, true) => Vector128.ShiftLeft(upper ? Vector128.WidenUpper(a.AsInt16()) : Vector128.WidenLower(a.AsInt16()), (int)shift).AsByte(),
            (_, false) => Vector128.ShiftLeft(upper ? Vector128.WidenUpper(a.AsUInt32()) : Vector128.WidenLower(a.AsUInt32()), (int)shift).AsByte(),
            (_, true) => Vector128.ShiftLeft(upper ? Vector128.WidenUpper(a.AsInt32()) : Vector128.WidenLower(a.AsInt32()), (int)shift).AsByte(),
        };
    }

    // ---- permutes and byte shuffles ----

    /// <summary>REV16/REV32/REV64: reverse the size-lanes within each container of 2^container bytes.</summary>
    [PureHelper]
    public static Vector128<byte> Rev(Vector128<byte> a, ulong size, ulong container)
    {
        int s = (int)size, per = (1 << (int)container) >> s, n = 16 >> s;
        var r = Vector128<byte>.Zero;
        for (int i = 0; i < n; i++) r = WithLane(r, i, s, Lane(a, i ^ (per - 1), s));
        return r;
    }

    /// <summary>CNT: population count of each byte (two nibble lookups).</summary>
    [PureHelper]
    [MethodImpl(Inline)] // into its precompiled cold-tier thunk: ReadyToRun cannot call a method taking a Vector128
    public static Vector128<byte> Cnt(Vector128<byte> a)
    {
        var lookup = Vector128.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
        var low = a & Vector128.Create((byte)0x0F);
        var high = ShiftRightLogical(a.AsUInt16(), 4).AsByte() & Vector128.Create((byte)0x0F);
        return ShuffleZero(lookup, low) + ShuffleZero(lookup, high);
    }


    /// <summary>EXT: bytes imm.. of the concatenation b:a (only the low halves for the 64-bit form).</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> Ext(Vector128<byte> a, Vector128<byte> b, ulong imm, ulong q)
    {
        if (q == 0)
        {
            // Bytes imm..imm+7 of b.low:a.low, as one 128-bit value shifted right.
            var c = Vector128.Create(a.AsUInt64().GetElement(0), b.AsUInt64().GetElement(0)).AsByte();
            return ZeroUpper(ShuffleZero(c, ExtTables[2 * imm]));
        }
        return ShuffleZero(a, ExtTables[2 * imm]) | ShuffleZero(b, ExtTables[2 * imm + 1]);
    }

    /// <summary>
    /// For each byte offset imm 0..15, at 2*imm and 2*imm+1: shuffle indices taking bytes imm.. from a, then
    /// the rest from b (0x80 selects zero). A flat array built by loops: LINQ or tuples over Vector128 are
    /// not precompiled (ReadyToRun) and were JIT-compiled at every start-up.
    /// </summary>
    private static readonly Vector128<byte>[] ExtTables = BuildExtTables();

    private static Vector128<byte>[] BuildExtTables()
    {
        var t = new Vector128<byte>[32];
        Span<byte> ia = stackalloc byte[16], ib = stackalloc byte[16];
        for (int imm = 0; imm < 16; imm++)
        {
            for (int i = 0; i < 16; i++)
            {
                int j = i + imm;
                ia[i] = j < 16 ? (byte)j : (byte)0x80;
                ib[i] = j >= 16 ? (byte)(j - 16) : (byte)0x80;
            }
            t[2 * imm] = Vector128.Create((ReadOnlySpan<byte>)ia);
            t[2 * imm + 1] = Vector128.Create((ReadOnlySpan<byte>)ib);
        }
        return t;
    }

    /// <summary>Byte shuffle where an index with the top bit set (or above 15) gives zero.</summary>
    [MethodImpl(Inline)]
    private static Vector128<byte> ShuffleZero(Vector128<byte> v, Vector128<byte> idx) =>
        System.Runtime.Intrinsics.X86.Ssse3.IsSupported ? System.Runtime.Intrinsics.X86.Ssse3.Shuffle(v, idx) : Vector128.Shuffle(v, idx);


    /// <summary>TBL/TBX over a table of <paramref name="count"/> registers t0..t3; out-of-range indices give 0 (TBL) or the lane of d (TBX).</summary>
    [PureHelper]
    public static Vector128<byte> Tbl(Vector128<byte> d, Vector128<byte> t0, Vector128<byte> t1, Vector128<byte> t2, Vector128<byte> t3,
        Vector128<byte> idx, ulong count, ulong tbx, ulong q)
    {
        var r = Vector128<byte>.Zero;
        var sixteen = Vector128.Create((byte)16);
        var sub = idx;
        for (int k = 0; k < (int)count; k++)
        {
            var t = k switch { 0 => t0, 1 => t1, 2 => t2, _ => t3 };
            // Lanes whose index falls in this register: shuffle; the others get an index with the top bit set (zero).
            var inRange = Vector128.LessThan(sub, sixteen);
            r |= ShuffleZero(t, sub | ~inRange);
            sub -= sixteen;
        }
        if (tbx != 0)
        {
            var outOfRange = Vector128.GreaterThanOrEqual(idx, Vector128.Create((byte)(16 * (int)count)));
            r = Vector128.ConditionalSelect(outOfRange, d, r);
        }
        return q != 0 ? r : ZeroUpper(r);
    }


    /// <summary>UZP1/UZP2 (part 0/1): the even/odd lanes of the concatenation b:a.</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> Uzp(Vector128<byte> a, Vector128<byte> b, ulong size, ulong q, ulong part)
    {
        if (q != 0) return UnzipFull(a, b, (int)size, (int)part);
        var c = Vector128.Create(a.AsUInt64().GetElement(0), b.AsUInt64().GetElement(0)).AsByte();
        return ZeroUpper(UnzipFull(c, c, (int)size, (int)part));
    }

    /// <summary>Byte-shuffle tables for unzipping: [size, part] → (indices into a, indices into b); 0x80 selects zero.</summary>
    /// <summary>Shuffle indices for UnzipFull, at ((size * 2 + part) * 2) for a and +1 for b (flat, as ExtTables).</summary>
    private static readonly Vector128<byte>[] UnzipTables = BuildUnzipTables();

    private static Vector128<byte>[] BuildUnzipTables()
    {
        var t = new Vector128<byte>[16];
        Span<byte> ia = stackalloc byte[16], ib = stackalloc byte[16];
        for (int size = 0; size < 4; size++)
            for (int part = 0; part < 2; part++)
            {
                int eb = 1 << size;
                for (int k = 0; k < 16; k++)
                {
                    int src = ((k % 8) / eb * 2 + part) * eb + k % eb;
                    ia[k] = k < 8 ? (byte)src : (byte)0x80;
                    ib[k] = k >= 8 ? (byte)src : (byte)0x80;
                }
                t[(size * 2 + part) * 2] = Vector128.Create((ReadOnlySpan<byte>)ia);
                t[(size * 2 + part) * 2 + 1] = Vector128.Create((ReadOnlySpan<byte>)ib);
            }
        return t;
    }

    /// <summary>The even (part 0) or odd lanes of a in the low half and of b in the high half.</summary>
    [MethodImpl(Inline)]
    private static Vector128<byte> UnzipFull(Vector128<byte> a, Vector128<byte> b, int size, int part)
    {
        if (System.Runtime.Intrinsics.X86.Sse41.IsSupported)
        {
            // Even lanes: mask the low half of each double-width lane and pack (exact, no saturation);
            // odd lanes: shift the high half down and pack. Words and doublewords are plain shuffles.
            switch (size)
            {
                case 0:
                    return part == 0
                        ? System.Runtime.Intrinsics.X86.Sse2.PackUnsignedSaturate((a.AsInt16() & Vector128.Create((short)0xFF)), b.AsInt16() & Vector128.Create((short)0xFF))
                        : System.Runtime.Intrinsics.X86.Sse2.PackUnsignedSaturate(ShiftRightLogical(a.AsUInt16(), 8).AsInt16(), ShiftRightLogical(b.AsUInt16(), 8).AsInt16());
                case 1:
                    return part == 0
                        ? System.Runtime.Intrinsics.X86.Sse41.PackUnsignedSaturate(a.AsInt32() & Vector128.Create(0xFFFF), b.AsInt32() & Vector128.Create(0xFFFF)).AsByte()
                        : System.Runtime.Intrinsics.X86.Sse41.PackUnsignedSaturate(ShiftRightLogical(a.AsUInt32(), 16).AsInt32(), ShiftRightLogical(b.AsUInt32(), 16).AsInt32()).AsByte();
                case 2:
                    return part == 0
                        ? System.Runtime.Intrinsics.X86.Sse.Shuffle(a.AsSingle(), b.AsSingle(), 0b10_00_10_00).AsByte()
                        : System.Runtime.Intrinsics.X86.Sse.Shuffle(a.AsSingle(), b.AsSingle(), 0b11_01_11_01).AsByte();
                default:
                    return part == 0
                        ? System.Runtime.Intrinsics.X86.Sse2.UnpackLow(a.AsUInt64(), b.AsUInt64()).AsByte()
                        : System.Runtime.Intrinsics.X86.Sse2.UnpackHigh(a.AsUInt64(), b.AsUInt64()).AsByte();
            }
        }
        int at = (size * 2 + part) * 2;
        return Vector128.Shuffle(a, UnzipTables[at]) | Vector128.Shuffle(b, UnzipTables[at + 1]);
    }


    /// <summary>ZIP1/ZIP2 (part 0/1): interleave the lanes of the lower/upper halves of a and b.</summary>
    [PureHelper]
    public static Vector128<byte> Zip(Vector128<byte> a, Vector128<byte> b, ulong size, ulong q, ulong part)
    {
        int s = (int)size, n = (q != 0 ? 16 : 8) >> s, half = n / 2, first = (int)part * half;
        var r = Vector128<byte>.Zero;
        for (int i = 0; i < half; i++)
        {
            r = WithLane(r, 2 * i, s, Lane(a, first + i, s));
            r = WithLane(r, 2 * i + 1, s, Lane(b, first + i, s));
        }
        return r;
    }

    /// <summary>TRN1/TRN2 (part 0/1): even/odd lanes of a and b alternated.</summary>
    [PureHelper]
    public static Vector128<byte> Trn(Vector128<byte> a, Vector128<byte> b, ulong size, ulong q, ulong part)
    {
        int s = (int)size, n = (q != 0 ? 16 : 8) >> s;
        var r = Vector128<byte>.Zero;
        for (int i = 0; i < n; i += 2)
        {
            r = WithLane(r, i, s, Lane(a, i + (int)part, s));
            r = WithLane(r, i + 1, s, Lane(b, i + (int)part, s));
        }
        return r;
    }

    /// <summary>XTN/XTN2 (part 0/1): truncate the 2*esize lanes of a into the lower or upper half.</summary>
    [PureHelper]
    [MethodImpl(Inline)]
    public static Vector128<byte> Xtn(Vector128<byte> d, Vector128<byte> a, ulong size, ulong part) => Shrn(d, a, 0, size, part);

    // ---- structure loads/stores (LD2-4/ST2-4) ----

    /// <summary>
    /// Register <paramref name="reg"/> of an LDn: chunks c0..c3 hold the loaded memory (each 8 or 16 bytes
    /// by q); element j of register r is stream element j*selem + r.
    /// </summary>
    [PureHelper]
    public static Vector128<byte> Deinterleave(Vector128<byte> c0, Vector128<byte> c1, Vector128<byte> c2, Vector128<byte> c3,
        ulong selem, ulong size, ulong q, ulong reg) =>
        GatherFour(StructureShuffles((int)selem, (int)size, q != 0, (int)reg, load: true), c0, c1, c2, c3);

    /// <summary>Chunk <paramref name="chunkIndex"/> of the memory an STn writes from registers v0..v3 (inverse of <see cref="Deinterleave"/>).</summary>
    [PureHelper]
    public static Vector128<byte> Interleave(Vector128<byte> v0, Vector128<byte> v1, Vector128<byte> v2, Vector128<byte> v3,
        ulong selem, ulong size, ulong q, ulong chunkIndex) =>
        GatherFour(StructureShuffles((int)selem, (int)size, q != 0, (int)chunkIndex, load: false), v0, v1, v2, v3);

    // LDn/STn are byte permutations of up to four vectors: one byte-shuffle mask per source (0x80 = no byte
    // from it), built once per shape; the result is the OR of the four shuffles.
    private static readonly Vector128<byte>[]?[] StructureShuffleCache = new Vector128<byte>[]?[2 * 5 * 4 * 2 * 4];

    /// <summary>The byte shuffles (one per source chunk or register; 0x80 = no byte from it) of an LDn register or STn chunk.</summary>
    internal static Vector128<byte>[] StructureShuffles(int selem, int size, bool q, int index, bool load)
    {
        int key = ((((load ? 1 : 0) * 5 + selem) * 4 + size) * 2 + (q ? 1 : 0)) * 4 + index;
        return StructureShuffleCache[key] ??= BuildStructureShuffles(selem, size, q, index, load);
    }

    private static Vector128<byte>[] BuildStructureShuffles(int selem, int size, bool q, int index, bool load)
    {
        int chunk = q ? 16 : 8, eb = 1 << size, n = chunk >> size;
        // Loops, not LINQ: Repeat/Select over bytes and vectors are host JIT at the first LDn/STn of a process.
        var masks = new byte[4][];
        for (int k = 0; k < 4; k++)
        {
            masks[k] = new byte[16];
            for (int i = 0; i < 16; i++) masks[k][i] = 0x80;
        }
        if (load)
        {
            // Output byte j*eb+b of register `index` is stream byte (j*selem+index)*eb+b.
            for (int j = 0; j < n; j++)
                for (int b = 0; b < eb; b++)
                {
                    int p = (j * selem + index) * eb + b;
                    masks[p / chunk][j * eb + b] = (byte)(p % chunk);
                }
        }
        else
        {
            // Output byte i of chunk `index` is stream byte p = index*chunk+i: element j of register r.
            for (int i = 0; i < chunk; i++)
            {
                int p = index * chunk + i, j = p / (selem * eb), r = p / eb % selem, b = p % eb;
                masks[r][i] = (byte)(j * eb + b);
            }
        }
        var shuffles = new Vector128<byte>[4];
        for (int k = 0; k < 4; k++) shuffles[k] = Vector128.Create(masks[k]);
        return shuffles;
    }

    /// <summary>Tier 1's form of one GatherFour term: a shuffle by a constant mask (one pshufb with a memory operand).</summary>
    [MethodImpl(Inline)]
    public static Vector128<byte> ShuffleByConstant(Vector128<byte> v, ulong maskLow, ulong maskHigh) =>
        System.Runtime.Intrinsics.X86.Ssse3.IsSupported
            ? System.Runtime.Intrinsics.X86.Ssse3.Shuffle(v, Vector128.Create(maskLow, maskHigh).AsByte())
            : Vector128.Shuffle(v, Vector128.Create(maskLow, maskHigh).AsByte());

    private static Vector128<byte> GatherFour(Vector128<byte>[] masks, Vector128<byte> s0, Vector128<byte> s1, Vector128<byte> s2, Vector128<byte> s3)
    {
        if (System.Runtime.Intrinsics.X86.Ssse3.IsSupported)
        {
            return System.Runtime.Intrinsics.X86.Ssse3.Shuffle(s0, masks[0]) | System.Runtime.Intrinsics.X86.Ssse3.Shuffle(s1, masks[1])
                | System.Runtime.Intrinsics.X86.Ssse3.Shuffle(s2, masks[2]) | System.Runtime.Intrinsics.X86.Ssse3.Shuffle(s3, masks[3]);
        }
        // Vector128.Shuffle gives 0 for an out-of-range index, as pshufb does for 0x80.
        return Vector128.Shuffle(s0, masks[0]) | Vector128.Shuffle(s1, masks[1]) | Vector128.Shuffle(s2, masks[2]) | Vector128.Shuffle(s3, masks[3]);
    }

    // ---- widening (three different) ----

    /// <summary>
    /// UADDL/SADDL/USUBL/SSUBL (wideA 0) and UADDW/SADDW/USUBW/SSUBW (wideA 1), "2" forms with part 1: lanes of
    /// b (and of a unless wide) come from the lower or upper half and are extended to twice the size.
    /// </summary>
    [PureHelper]
    public static Vector128<byte> AddSubLong(Vector128<byte> a, Vector128<byte> b, ulong size, ulong part, ulong signed, ulong wideA, ulong subtract)
    {
        int s = (int)size, n = 8 >> s, first = (int)part * n;
        var r = Vector128<byte>.Zero;
        for (int i = 0; i < n; i++)
        {
            ulong x = wideA != 0 ? Lane(a, i, s + 1) : signed != 0 ? (ulong)SignedLane(a, first + i, s) : Lane(a, first + i, s);
            ulong y = signed != 0 ? (ulong)SignedLane(b, first + i, s) : Lane(b, first + i, s);
            r = WithLane(r, i, s + 1, (subtract != 0 ? x - y : x + y) & LaneMask(s + 1));
        }
        return r;
    }
    /// <summary>
    /// UMULL/SMULL (accumulate 0), UMLAL/SMLAL (1), UMLSL/SMLSL (2) and their "2" forms (part 1): products of the
    /// lanes of the lower or upper halves of a and b at twice the element size, written to or accumulated into d.
    /// </summary>
    [PureHelper]
    public static Vector128<byte> MulLong(Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong size, ulong part, ulong signed, ulong accumulate)
    {
        int s = (int)size, n = 8 >> s, first = (int)part * n;
        var r = Vector128<byte>.Zero;
        for (int i = 0; i < n; i++)
        {
            ulong x = signed != 0 ? (ulong)SignedLane(a, first + i, s) : Lane(a, first + i, s);
            ulong y = signed != 0 ? (ulong)SignedLane(b, first + i, s) : Lane(b, first + i, s);
            ulong p = x * y;
            ulong acc = Lane(d, i, s + 1);
            ulong v = accumulate switch { 0 => p, 1 => acc + p, _ => acc - p };
            r = WithLane(r, i, s + 1, v & LaneMask(s + 1));
        }
        return r;
    }
}
