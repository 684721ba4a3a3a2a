using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Emu.IR.Passes;

/// <summary>
/// The meaning of every pure scalar IR op, in one place: the cold tier evaluates with these, constant
/// folding folds with them and Tier 1 calls them (they inline; a constant size folds away).
/// Size is 32 or 64; 32-bit results are zero-extended.
/// </summary>
public static class IrSemantics
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    [MethodImpl(Inline)]
    public static ulong Trunc(ulong v, int size) => size == 32 ? (uint)v : v;

    [MethodImpl(Inline)] public static ulong Add(ulong a, ulong b, int size) => Trunc(a + b, size);
    [MethodImpl(Inline)] public static ulong Sub(ulong a, ulong b, int size) => Trunc(a - b, size);
    [MethodImpl(Inline)] public static ulong Mul(ulong a, ulong b, int size) => Trunc(a * b, size);
    [MethodImpl(Inline)] public static ulong And(ulong a, ulong b, int size) => Trunc(a & b, size);
    [MethodImpl(Inline)] public static ulong Or(ulong a, ulong b, int size) => Trunc(a | b, size);
    [MethodImpl(Inline)] public static ulong Xor(ulong a, ulong b, int size) => Trunc(a ^ b, size);
    [MethodImpl(Inline)] public static ulong Not(ulong a, int size) => Trunc(~a, size);
    [MethodImpl(Inline)] public static ulong Neg(ulong a, int size) => Trunc(0 - a, size);

    [MethodImpl(Inline)]
    public static ulong Shl(ulong a, ulong amount, int size) =>
        size == 32 ? (uint)a << (int)(amount & 31) : a << (int)(amount & 63);

    [MethodImpl(Inline)]
    public static ulong Lsr(ulong a, ulong amount, int size) =>
        size == 32 ? (uint)a >> (int)(amount & 31) : a >> (int)(amount & 63);

    [MethodImpl(Inline)]
    public static ulong Asr(ulong a, ulong amount, int size) =>
        size == 32 ? (uint)((int)a >> (int)(amount & 31)) : (ulong)((long)a >> (int)(amount & 63));

    [MethodImpl(Inline)]
    public static ulong Ror(ulong a, ulong amount, int size) =>
        size == 32 ? BitOperations.RotateRight((uint)a, (int)(amount & 31)) : BitOperations.RotateRight(a, (int)(amount & 63));

    [MethodImpl(Inline)]
    public static ulong UMulHigh(ulong a, ulong b) => Math.BigMul(a, b, out _);

    [MethodImpl(Inline)]
    public static ulong SMulHigh(ulong a, ulong b) => (ulong)Math.BigMul((long)a, (long)b, out _);

    [MethodImpl(Inline)]
    public static ulong UDiv(ulong a, ulong b, int size)
    {
        if (size == 32) return (uint)b == 0 ? 0 : (uint)a / (uint)b;
        return b == 0 ? 0 : a / b;
    }

    [MethodImpl(Inline)]
    public static ulong SDiv(ulong a, ulong b, int size)
    {
        if (size == 32)
        {
            int x = (int)a, y = (int)b;
            if (y == 0) return 0;
            if (y == -1) return (uint)(0 - (uint)x); // INT_MIN / -1 wraps to INT_MIN, as ARM defines
            return (uint)(x / y);
        }
        long p = (long)a, q = (long)b;
        if (q == 0) return 0;
        if (q == -1) return 0 - a;
        return (ulong)(p / q);
    }

    [MethodImpl(Inline)]
    public static ulong Clz(ulong a, int size) =>
        size == 32 ? (ulong)BitOperations.LeadingZeroCount((uint)a) : (ulong)BitOperations.LeadingZeroCount(a);

    /// <summary>Leading bits equal to the sign bit, not counting the sign bit.</summary>
    [MethodImpl(Inline)]
    public static ulong Cls(ulong a, int size)
    {
        if (size == 32)
        {
            int x = (int)a;
            return (ulong)BitOperations.LeadingZeroCount((uint)(x ^ (x >> 1))) - 1;
        }
        long y = (long)a;
        return (ulong)BitOperations.LeadingZeroCount((ulong)(y ^ (y >> 1))) - 1;
    }

    [MethodImpl(Inline)]
    public static ulong Rbit(ulong a, int size)
    {
        // Swap ever smaller groups, then reverse the bytes.
        a = ((a >> 1) & 0x5555555555555555UL) | ((a & 0x5555555555555555UL) << 1);
        a = ((a >> 2) & 0x3333333333333333UL) | ((a & 0x3333333333333333UL) << 2);
        a = ((a >> 4) & 0x0F0F0F0F0F0F0F0FUL) | ((a & 0x0F0F0F0F0F0F0F0FUL) << 4);
        return size == 32 ? BinaryPrimitives.ReverseEndianness((uint)a) : BinaryPrimitives.ReverseEndianness(a);
    }

    [MethodImpl(Inline)]
    public static ulong Rev(ulong a, int size) =>
        size == 32 ? BinaryPrimitives.ReverseEndianness((uint)a) : BinaryPrimitives.ReverseEndianness(a);

    [MethodImpl(Inline)]
    public static ulong Rev16(ulong a, int size) =>
        Trunc(((a >> 8) & 0x00FF00FF00FF00FFUL) | ((a & 0x00FF00FF00FF00FFUL) << 8), size);

    [MethodImpl(Inline)]
    public static ulong Rev32(ulong a) =>
        BinaryPrimitives.ReverseEndianness((uint)a) | ((ulong)BinaryPrimitives.ReverseEndianness((uint)(a >> 32)) << 32);

    [MethodImpl(Inline)]
    public static ulong SignExtend(ulong a, int fromBits) => fromBits switch
    {
        8 => (ulong)(long)(sbyte)a,
        16 => (ulong)(long)(short)a,
        32 => (ulong)(long)(int)a,
        _ => fromBits >= 64 ? a : (ulong)(((long)a << (64 - fromBits)) >> (64 - fromBits)),
    };

    [MethodImpl(Inline)]
    public static ulong ZeroExtend(ulong a, int fromBits) => fromBits switch
    {
        8 => (byte)a,
        16 => (ushort)a,
        32 => (uint)a,
        _ => fromBits >= 64 ? a : a & ((1UL << fromBits) - 1),
    };

    [MethodImpl(Inline)]
    public static ulong Compare(ulong a, ulong b, IrCompare kind, int size)
    {
        if (size == 32)
        {
            a = (uint)a;
            b = (uint)b;
        }
        long sa = size == 32 ? (int)a : (long)a, sb = size == 32 ? (int)b : (long)b;
        bool r = kind switch
        {
            IrCompare.Eq => a == b,
            IrCompare.Ne => a != b,
            IrCompare.ULt => a < b,
            IrCompare.ULe => a <= b,
            IrCompare.UGt => a > b,
            IrCompare.UGe => a >= b,
            IrCompare.SLt => sa < sb,
            IrCompare.SLe => sa <= sb,
            IrCompare.SGt => sa > sb,
            IrCompare.SGe => sa >= sb,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return r ? 1UL : 0UL;
    }

    [MethodImpl(Inline)]
    public static ulong Select(ulong cond, ulong ifTrue, ulong ifFalse) => cond != 0 ? ifTrue : ifFalse;

    [MethodImpl(Inline)]
    public static ulong AddCarry(ulong a, ulong b, ulong carry, int size) => Trunc(a + b + carry, size);

    public const ulong FlagN = 1UL << 31, FlagZ = 1UL << 30, FlagC = 1UL << 29, FlagV = 1UL << 28;

    [MethodImpl(Inline)]
    public static ulong FlagsAdd(ulong a, ulong b, int size) => FlagsAddCarry(a, b, 0, size);

    [MethodImpl(Inline)]
    private static ulong Bit(bool b, int position) => (b ? 1UL : 0UL) << position;

    // The flags are assembled from independent set-on-condition terms rather than a chain of
    // conditional ORs, so the four computations run in parallel.
    [MethodImpl(Inline)]
    public static ulong FlagsAddCarry(ulong a, ulong b, ulong carry, int size)
    {
        carry &= 1;
        if (size == 32)
        {
            ulong wide = (ulong)(uint)a + (uint)b + carry;
            uint r = (uint)wide;
            return ((ulong)(r >> 31) << 31) | Bit(r == 0, 30) | ((wide >> 32) << 29)
                | ((ulong)((~((uint)a ^ (uint)b) & ((uint)a ^ r)) >> 31) << 28);
        }
        ulong res = a + b + carry;
        // Carry out of a + b + carry: either addition wrapped.
        bool c = res < a || (carry != 0 && res == a);
        return ((res >> 63) << 31) | Bit(res == 0, 30) | Bit(c, 29) | (((~(a ^ b) & (a ^ res)) >> 63) << 28);
    }

    [MethodImpl(Inline)]
    public static ulong FlagsSub(ulong a, ulong b, int size)
    {
        if (size == 32)
        {
            uint x = (uint)a, y = (uint)b, r = x - y;
            return ((ulong)(r >> 31) << 31) | Bit(r == 0, 30) | Bit(x >= y, 29) | ((ulong)(((x ^ y) & (x ^ r)) >> 31) << 28);
        }
        ulong res = a - b;
        return ((res >> 63) << 31) | Bit(res == 0, 30) | Bit(a >= b, 29) | ((((a ^ b) & (a ^ res)) >> 63) << 28);
    }

    [MethodImpl(Inline)]
    public static ulong FlagsLogic(ulong result, int size)
    {
        result = Trunc(result, size);
        ulong f = size == 32 ? (result >> 31) << 31 : (result >> 63) << 31;
        if (result == 0) f |= FlagZ;
        return f;
    }

    /// <summary>ARM ConditionHolds for an NZCV value; 1 or 0.</summary>
    [MethodImpl(Inline)]
    public static ulong CondHolds(ulong nzcv, int cond)
    {
        bool n = (nzcv & FlagN) != 0, z = (nzcv & FlagZ) != 0, c = (nzcv & FlagC) != 0, v = (nzcv & FlagV) != 0;
        bool r = (cond >> 1) switch
        {
            0 => z,
            1 => c,
            2 => n,
            3 => v,
            4 => c && !z,
            5 => n == v,
            6 => n == v && !z,
            _ => true,
        };
        // Odd conditions negate, except 0b1111 (NV) which is "always" like AL.
        if ((cond & 1) != 0 && cond != 15) r = !r;
        return r ? 1UL : 0UL;
    }

    /// <summary>Evaluates a pure scalar op (not Const, guest state, memory, calls or terminators).</summary>
    public static ulong Eval(IrOp op, int size, ulong imm, ulong a, ulong b, ulong c) => op switch
    {
        IrOp.Add => Add(a, b, size),
        IrOp.Sub => Sub(a, b, size),
        IrOp.Mul => Mul(a, b, size),
        IrOp.And => And(a, b, size),
        IrOp.Or => Or(a, b, size),
        IrOp.Xor => Xor(a, b, size),
        IrOp.Not => Not(a, size),
        IrOp.Neg => Neg(a, size),
        IrOp.Shl => Shl(a, b, size),
        IrOp.Lsr => Lsr(a, b, size),
        IrOp.Asr => Asr(a, b, size),
        IrOp.Ror => Ror(a, b, size),
        IrOp.UMulHigh => UMulHigh(a, b),
        IrOp.SMulHigh => SMulHigh(a, b),
        IrOp.UDiv => UDiv(a, b, size),
        IrOp.SDiv => SDiv(a, b, size),
        IrOp.Clz => Clz(a, size),
        IrOp.Cls => Cls(a, size),
        IrOp.Rbit => Rbit(a, size),
        IrOp.Rev => Rev(a, size),
        IrOp.Rev16 => Rev16(a, size),
        IrOp.Rev32 => Rev32(a),
        IrOp.SignExtend => SignExtend(a, (int)imm),
        IrOp.ZeroExtend => ZeroExtend(a, (int)imm),
        IrOp.Compare => Compare(a, b, (IrCompare)imm, size),
        IrOp.Select => Select(a, b, c),
        IrOp.AddCarry => AddCarry(a, b, c, size),
        IrOp.FlagsAdd => FlagsAdd(a, b, size),
        IrOp.FlagsAddCarry => FlagsAddCarry(a, b, c, size),
        IrOp.FlagsSub => FlagsSub(a, b, size),
        IrOp.FlagsLogic => FlagsLogic(a, size),
        IrOp.CondHolds => CondHolds(a, (int)imm),
        _ => throw new ArgumentException($"{op} is not a pure scalar op"),
    };

    /// <summary>True for the ops <see cref="Eval"/> handles.</summary>
    public static bool IsPureScalar(IrOp op) => op is >= IrOp.Add and <= IrOp.CondHolds;
}
