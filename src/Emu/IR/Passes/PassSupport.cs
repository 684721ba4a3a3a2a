namespace Emu.IR.Passes;

/// <summary>Small tools the passes share.</summary>
internal static class PassSupport
{
    /// <summary>Clears the pass scratch fields (<see cref="IrInst.Replacement"/>, <see cref="IrInst.Marked"/>) of every op.</summary>
    public static void ResetScratch(List<IrInst> insts)
    {
        foreach (var inst in insts)
        {
            inst.Replacement = null;
            inst.Marked = false;
        }
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
