using System.Numerics;
using Emu.IR;

namespace Emu.Frontend.Translation;

/// <summary>Field extraction and operand-forming helpers shared by the instruction emitters.</summary>
internal static class InstEmitHelpers
{
    /// <summary>Bits [hi:lo] of <paramref name="word"/>.</summary>
    public static uint Bits(uint word, int hi, int lo) => (word >> lo) & (uint)((1UL << (hi - lo + 1)) - 1);

    public static uint Bit(uint word, int bit) => (word >> bit) & 1;

    /// <summary>Operand size selected by the sf bit (bit 31).</summary>
    public static int SizeOf(uint word) => Bit(word, 31) != 0 ? 64 : 32;

    public static uint Rd(uint word) => word & 31;
    public static uint Rn(uint word) => (word >> 5) & 31;
    public static uint Rm(uint word) => (word >> 16) & 31;

    public static long SignExtend(ulong value, int bits) => (long)(value << (64 - bits)) >> (64 - bits);

    /// <summary>A mask of the low <paramref name="count"/> bits (count 0..64).</summary>
    public static ulong Ones(int count) => count >= 64 ? ulong.MaxValue : (1UL << count) - 1;

    /// <summary>
    /// ARM DecodeBitMasks: the element-replicated masks for logical immediates and bitfield moves.
    /// Returns false for reserved encodings.
    /// </summary>
    public static bool DecodeBitMasks(uint n, uint imms, uint immr, bool immediate, int dataSize, out ulong wmask, out ulong tmask)
    {
        wmask = tmask = 0;
        uint combined = (n << 6) | (~imms & 0x3f);
        if (combined == 0) return false;
        int len = 31 - BitOperations.LeadingZeroCount(combined);
        if (len < 1) return false;
        int esize = 1 << len;
        if (esize > dataSize) return false;
        uint levels = (uint)Ones(len);
        if (immediate && (imms & levels) == levels) return false;
        int s = (int)(imms & levels);
        int r = (int)(immr & levels);
        int d = (s - r) & (int)levels;
        ulong emask = Ones(esize);
        ulong welem = Ones(s + 1);
        ulong telem = Ones(d + 1);
        // Rotate right by r within the element.
        ulong wrot = r == 0 ? welem : ((welem >> r) | (welem << (esize - r))) & emask;
        wmask = Replicate(wrot, esize, dataSize);
        tmask = Replicate(telem, esize, dataSize);
        return true;
    }

    private static ulong Replicate(ulong element, int esize, int dataSize)
    {
        ulong result = 0;
        for (int i = 0; i < dataSize; i += esize) result |= element << i;
        return result;
    }

    /// <summary>A condition value that holds (1) or not (0); AL and NV always hold.</summary>
    public static IrInst Condition(ArmEmitter e, uint cond) =>
        cond >= 14 ? e.Const(1) : e.Ir.CondHolds(e.Ir.GetFlags(), (int)cond);

    /// <summary>Shifted-register operand: LSL/LSR/ASR/ROR (type 0..3) by a constant amount below size.</summary>
    public static IrInst ShiftReg(ArmEmitter e, IrInst value, uint type, int amount, int size)
    {
        if (amount == 0) return value;
        var a = e.Const((ulong)amount);
        return type switch
        {
            0 => e.Ir.Shl(value, a, size),
            1 => e.Ir.Lsr(value, a, size),
            2 => e.Ir.Asr(value, a, size),
            _ => e.Ir.Ror(value, a, size),
        };
    }

    /// <summary>Extended-register operand: UXTB..SXTX (option 0..7) then LSL by shift (0..4).</summary>
    public static IrInst ExtendReg(ArmEmitter e, IrInst value, uint option, int shift)
    {
        IrInst v = option switch
        {
            0 => e.Ir.ZeroExtend(value, 8),
            1 => e.Ir.ZeroExtend(value, 16),
            2 => e.Ir.ZeroExtend(value, 32),
            4 => e.Ir.SignExtend(value, 8),
            5 => e.Ir.SignExtend(value, 16),
            6 => e.Ir.SignExtend(value, 32),
            _ => value,
        };
        return shift == 0 ? v : e.Ir.Shl(v, e.Const((ulong)shift));
    }

    /// <summary>The carry flag (0 or 1) from the current NZCV.</summary>
    public static IrInst CarryFlag(ArmEmitter e) =>
        e.Ir.And(e.Ir.Lsr(e.Ir.GetFlags(), e.Const(29)), e.Const(1));
}
