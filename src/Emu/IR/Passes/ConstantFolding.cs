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
        foreach (var inst in block.Insts)
        {
            PassSupport.Remap(inst);
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
            return a!.IsConst ? (a.Imm != 0 ? b : inst.C) : b == inst.C ? b : null;
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
        }
        return null;
    }

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
        if (inst.Size == 64) return x;
        inst.Op = IrOp.ZeroExtend;
        inst.A = x;
        inst.B = null;
        inst.Imm = 32;
        return null;
    }
}
