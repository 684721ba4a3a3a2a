using System.Runtime.InteropServices;
namespace Emu.IR.Passes;

/// <summary>Small tools the passes share.</summary>
internal static class PassSupport
{
    /// <summary>Clears the pass scratch fields (<see cref="IrInst.Replacement"/>, <see cref="IrInst.Marked"/>) of every op.</summary>
    public static void ResetScratch(List<IrInst> insts)
    {
        foreach (var inst in CollectionsMarshal.AsSpan(insts))
        {
            inst.Replacement = null;
            inst.Marked = false;
        }
    }

    /// <summary>Removes the marked ops in place (without List.RemoveAll's delegate call per op).</summary>
    public static void RemoveMarked(List<IrInst> insts)
    {
        var span = CollectionsMarshal.AsSpan(insts);
        int kept = 0;
        foreach (var inst in span)
            if (!inst.Marked) span[kept++] = inst;
        CollectionsMarshal.SetCount(insts, kept);
    }

    /// <summary>
    /// Rewrites the operands of <paramref name="inst"/> that earlier ops of this pass replaced (their
    /// <see cref="IrInst.Replacement"/>; a replacement is never itself replaced).
    /// </summary>
    public static void Remap(IrInst inst)
    {
        if (inst.A?.Replacement is { } a) inst.A = a;
        if (inst.B?.Replacement is { } b) inst.B = b;
        if (inst.C?.Replacement is { } c) inst.C = c;
        if (inst.Args != null)
            for (int i = 0; i < inst.Args.Length; i++)
                if (inst.Args[i].Replacement is { } r) inst.Args[i] = r;
    }

    /// <summary>A call of the SIMD helper <paramref name="name"/> (a nameof of <see cref="Frontend.Translation.SimdHelpers"/>).</summary>
    public static bool IsSimdHelper(IrInst inst, string name) =>
        inst.Op == IrOp.Call && inst.Helper!.Method.Name == name && inst.Helper.Method.DeclaringType == typeof(Frontend.Translation.SimdHelpers);

    /// <summary>32-bit integer arithmetic: reads only the low halves of its operands, and its result is a W value.</summary>
    public static bool IsWordArithmetic(IrInst inst) =>
        inst.Size == 32 && inst.Op is IrOp.Add or IrOp.Sub or IrOp.Mul or IrOp.And or IrOp.Or or IrOp.Xor or IrOp.Not or IrOp.Neg or IrOp.AddCarry;

    /// <summary>
    /// True if <paramref name="user"/> reads only the low 32 bits of its operand <paramref name="v"/>, in both
    /// tiers: 32-bit arithmetic, a 32-bit shift's value or any shift's amount (taken modulo 32 or 64), an
    /// extension from 32 bits or fewer, a 32-bit compare, the value of a store of 4 bytes or fewer.
    /// </summary>
    public static bool ReadsOnlyLow32(IrInst user, IrInst v) => user.Op switch
    {
        IrOp.Add or IrOp.Sub or IrOp.Mul or IrOp.And or IrOp.Or or IrOp.Xor or IrOp.Not or IrOp.Neg or IrOp.AddCarry => IsWordArithmetic(user),
        IrOp.Shl or IrOp.Lsr or IrOp.Asr or IrOp.Ror => user.Size == 32 || (user.B == v && user.A != v),
        IrOp.ZeroExtend or IrOp.SignExtend => user.Imm <= 32,
        IrOp.Compare => user.Size == 32,
        IrOp.Store => user.B == v && user.A != v && user.Imm <= 4,
        _ => false,
    };

    /// <summary>Turns <paramref name="inst"/> into a constant in place (its uses stay valid).</summary>
    public static void MakeConst(IrInst inst, ulong value)
    {
        inst.Op = IrOp.Const;
        inst.Size = 64;
        inst.A = inst.B = inst.C = null;
        inst.Imm = value;
        inst.Imm2 = inst.Imm3 = 0;
    }
}
