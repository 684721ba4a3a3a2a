using System.Runtime.InteropServices;
using System.Numerics;

namespace Emu.IR.Passes;

/// <summary>
/// Evaluates pure ops whose operands are all constants (with <see cref="IrSemantics"/>, so folding agrees
/// with both tiers), applies algebraic identities (x+0, x*1, x&amp;0, …), and turns a Branch or Select
/// on a constant condition into a Jump or the chosen value.
/// </summary>
public static class ConstantFolding
{
    public static void Run(IrBlock block)
    {
        PassSupport.ResetScratch(block.Insts);
        foreach (var inst in CollectionsMarshal.AsSpan(block.Insts))
        {
            PassSupport.Remap(inst);
            SkipWideningOfNarrowOperands(inst);
            if (IrSemantics.IsPureScalar(inst.Op))
            {
                if (inst.A is { IsConst: true } && (inst.B == null || inst.B.IsConst) && (inst.C == null || inst.C.IsConst))
                {
                    ulong v = IrSemantics.Eval(inst.Op, inst.Size, inst.Imm, inst.A.Imm, inst.B?.Imm ?? 0, inst.C?.Imm ?? 0);
                    PassSupport.MakeConst(inst, v);
                }
                else if (Simplify(inst) is { } same)
                {
                    inst.Replacement = same;
                }
            }
            else if (inst.Op == IrOp.Branch && inst.A!.IsConst)
            {
                inst.Op = IrOp.Jump;
                inst.Imm = inst.A.Imm != 0 ? inst.Imm : inst.Imm2;
                inst.Imm2 = 0;
                inst.A = null;
            }
        }
    }

    /// <summary>
    /// CSET/CSETM-like selects of 1 and 0 on a condition (CSINC wzr, wzr gives Select(c, 0, 1)): the condition
    /// itself, or its inverse, so the host gets a setcc instead of a select RyuJIT may turn into branches.
    /// </summary>
    private static IrInst? SimplifyBooleanSelect(IrInst inst)
    {
        var c = inst.A!;
        if (c.Op is not (IrOp.CondHolds or IrOp.Compare) || inst.B is not { IsConst: true } t || inst.C is not { IsConst: true } f) return null;
        if (t.Imm == 1 && f.Imm == 0) return c;
        if (t.Imm != 0 || f.Imm != 1) return null;
        if (c.Op == IrOp.CondHolds)
        {
            // Conditions come in pairs that differ in bit 0 (EQ/NE, …, GT/LE); AL/NV always hold.
            if (c.Imm >= 14) return null;
            inst.Op = IrOp.CondHolds;
            inst.Imm = c.Imm ^ 1;
        }
        else
        {
            inst.Op = IrOp.Compare;
            inst.Imm = (ulong)Inverse((IrCompare)c.Imm);
            inst.B = c.B;
        }
        inst.Size = c.Size;
        inst.A = c.A;
        if (inst.Op == IrOp.CondHolds) inst.B = null;
        inst.C = null;
        return null;
    }

    private static IrCompare Inverse(IrCompare kind) => kind switch
    {
        IrCompare.Eq => IrCompare.Ne,
        IrCompare.Ne => IrCompare.Eq,
        IrCompare.ULt => IrCompare.UGe,
        IrCompare.UGe => IrCompare.ULt,
        IrCompare.ULe => IrCompare.UGt,
        IrCompare.UGt => IrCompare.ULe,
        IrCompare.SLt => IrCompare.SGe,
        IrCompare.SGe => IrCompare.SLt,
        IrCompare.SLe => IrCompare.SGt,
        _ => IrCompare.SLe,
    };

    private static ulong Ones(int size) => size == 32 ? uint.MaxValue : ulong.MaxValue;

    /// <summary>
    /// Applies an identity: returns the value <paramref name="inst"/> equals, or rewrites it in place to a
    /// simpler op (a constant, or a 32-bit zero-extension) and returns null.
    /// </summary>
    private static IrInst? Simplify(IrInst inst)
    {
        var a = inst.A;
        var b = inst.B;
        int size = inst.Size;
        if (inst.Op == IrOp.Select)
            return a!.IsConst ? (a.Imm != 0 ? b : inst.C) : b == inst.C ? b : SimplifyBooleanSelect(inst);
        if (inst.Op == IrOp.ZeroExtend && FitsIn(a!, (int)inst.Imm, 4)) return a;
        if (b == null) return null;
        ulong? ca = a!.IsConst ? IrSemantics.Trunc(a.Imm, size) : null;
        ulong? cb = b.IsConst ? IrSemantics.Trunc(b.Imm, size) : null;
        bool amountZero = b.IsConst && (b.Imm & (ulong)(size - 1)) == 0;
        switch (inst.Op)
        {
            case IrOp.Add or IrOp.Or or IrOp.Xor when cb == 0:
            case IrOp.Sub when cb == 0:
            case IrOp.Shl or IrOp.Lsr or IrOp.Asr or IrOp.Ror when amountZero:
            case IrOp.Mul when cb == 1:
            case IrOp.And when cb == Ones(size):
                return Identity(inst, a);
            case IrOp.Add or IrOp.Or or IrOp.Xor when ca == 0:
            case IrOp.Mul when ca == 1:
            case IrOp.And when ca == Ones(size):
                return Identity(inst, b);
            case IrOp.And or IrOp.Mul when ca == 0 || cb == 0:
                PassSupport.MakeConst(inst, 0);
                return null;
            case IrOp.And when cb is { } mask && KeepsAllBitsOf(a, mask, size):
                return Identity(inst, a);
            case IrOp.And when ca is { } mask && KeepsAllBitsOf(b, mask, size):
                return Identity(inst, b);
            case IrOp.Shl when b.IsConst && a is { Op: IrOp.And, B.IsConst: true } masked
                && ShiftDropsMaskedBits(IrSemantics.Trunc(masked.B.Imm, masked.Size), (int)(b.Imm & (ulong)(size - 1)), size):
                // LSL as UBFM: x & (ones >> n) << n is x << n; the mask cleared only bits the shift discards.
                inst.A = masked.A;
                return null;
        }
        return null;
    }

    /// <summary>True if ANDing <paramref name="v"/> with <paramref name="mask"/> changes none of its bits (it fits under the mask's low ones).</summary>
    private static bool KeepsAllBitsOf(IrInst v, ulong mask, int size)
    {
        // All-ones masks are identities already; otherwise the mask keeps fewer than Size low bits.
        int ones = BitOperations.TrailingZeroCount(~mask);
        return ones >= 1 && ones < size && FitsIn(v, ones, 4);
    }

    /// <summary>True if (x &amp; <paramref name="mask"/>) &lt;&lt; <paramref name="amount"/> equals x &lt;&lt; amount for every x (Size-bit result).</summary>
    private static bool ShiftDropsMaskedBits(ulong mask, int amount, int size)
    {
        ulong kept = Ones(size) >> amount; // the bits of x that survive the shift
        return (mask & kept) == kept;
    }

    /// <summary>Ops that read only the low 32 bits of their operands when Size is 32 (both tiers truncate first).</summary>
    private static bool ReadsLow32(IrOp op) => op is IrOp.Add or IrOp.Sub or IrOp.Mul or IrOp.And or IrOp.Or or IrOp.Xor
        or IrOp.Not or IrOp.Neg or IrOp.Shl or IrOp.Lsr or IrOp.Asr or IrOp.Ror or IrOp.UDiv or IrOp.SDiv
        or IrOp.Compare or IrOp.AddCarry or IrOp.FlagsAdd or IrOp.FlagsAddCarry or IrOp.FlagsSub or IrOp.FlagsLogic;

    /// <summary>
    /// A W-register operand is often zero-extended (from a 32-bit FMOV, a load, an earlier op's result) before
    /// a 32-bit op that truncates it again: the op reads the unextended value, and the extension usually dies.
    /// Narrow stores likewise.
    /// </summary>
    private static void SkipWideningOfNarrowOperands(IrInst inst)
    {
        if (inst.Op == IrOp.Store)
        {
            inst.B = Unwidened(inst.B!, (int)inst.Imm * 8);
            return;
        }
        if (inst.Size != 32 || !ReadsLow32(inst.Op)) return;
        if (inst.A != null) inst.A = Unwidened(inst.A, 32);
        if (inst.B != null) inst.B = Unwidened(inst.B, 32);
        if (inst.C != null) inst.C = Unwidened(inst.C, 32);
    }

    /// <summary>The value whose low <paramref name="bits"/> bits equal those of <paramref name="v"/>: v's source if v only extends it from at least that many bits.</summary>
    private static IrInst Unwidened(IrInst v, int bits) =>
        v.Op is IrOp.ZeroExtend or IrOp.SignExtend && (int)v.Imm >= bits ? v.A! : v;

    /// <summary>True if <paramref name="v"/> is known to have no bits set at or above <paramref name="bits"/>.</summary>
    private static bool FitsIn(IrInst v, int bits, int depth)
    {
        if (bits >= 64) return true;
        switch (v.Op)
        {
            case IrOp.Const: return v.Imm >> bits == 0;
            case IrOp.ZeroExtend: return (int)v.Imm <= bits;
            case IrOp.Load or IrOp.LoadExclusive: return (int)v.Imm * 8 <= bits;
            case IrOp.Compare or IrOp.CondHolds: return bits >= 1;
            case IrOp.Clz or IrOp.Cls: return bits >= 7;
            case IrOp.Lsr when v.B!.IsConst:
                return v.Size - (int)(v.B.Imm & (ulong)(v.Size - 1)) <= bits;
            case IrOp.FlagsAdd or IrOp.FlagsSub or IrOp.FlagsAddCarry or IrOp.FlagsLogic: return bits >= 32;
            case IrOp.And when depth > 0 && (FitsIn(v.A!, bits, depth - 1) || FitsIn(v.B!, bits, depth - 1)):
                return true;
            case IrOp.Add or IrOp.Sub or IrOp.Mul or IrOp.And or IrOp.Or or IrOp.Xor or IrOp.Not or IrOp.Neg
                or IrOp.Shl or IrOp.Lsr or IrOp.Asr or IrOp.Ror or IrOp.UDiv or IrOp.SDiv or IrOp.Rbit
                or IrOp.Rev or IrOp.Rev16 or IrOp.AddCarry:
                return v.Size == 32 && bits >= 32;
            default: return false;
        }
    }

    // inst equals x truncated to its size: x itself for 64 bits, a zero-extension for 32.
    private static IrInst? Identity(IrInst inst, IrInst x)
    {
        if (inst.Size == 64 || FitsIn(x, 32, 4)) return x;
        inst.Op = IrOp.ZeroExtend;
        inst.A = x;
        inst.B = null;
        inst.Imm = 32;
        return null;
    }
}
