namespace Emu.IR.Passes;

/// <summary>Small tools the passes share.</summary>
internal static class PassSupport
{
    /// <summary>Rewrites the operands of <paramref name="inst"/> that were replaced by earlier values.</summary>
    public static void Remap(IrInst inst, Dictionary<IrInst, IrInst> replaced)
    {
        if (replaced.Count == 0) return;
        if (inst.A != null && replaced.TryGetValue(inst.A, out var a)) inst.A = a;
        if (inst.B != null && replaced.TryGetValue(inst.B, out var b)) inst.B = b;
        if (inst.C != null && replaced.TryGetValue(inst.C, out var c)) inst.C = c;
        if (inst.Args != null)
            for (int i = 0; i < inst.Args.Length; i++)
                if (replaced.TryGetValue(inst.Args[i], out var r)) inst.Args[i] = r;
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
