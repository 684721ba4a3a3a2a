namespace Emu.IR.Passes;

/// <summary>
/// CCMP/CCMN make NZCV a Select between a flags op and a constant; a condition on it (the B.cond after a
/// CCMP) is rewritten to select between the condition on the flags op and the condition's constant value:
/// CondHolds(Select(c, F, K), cond) = Select(c, CondHolds(F, cond), CondHolds(K, cond)). The condition on F
/// is then a plain host compare, and the packed NZCV is needed only where the flags are observed.
/// </summary>
public static class FlagsSelectSplitting
{
    public static void Run(IrBlock block)
    {
        var insts = block.Insts;
        for (int i = 0; i < insts.Count; i++)
        {
            var inst = insts[i];
            if (inst.Op != IrOp.CondHolds || inst.A is not { Op: IrOp.Select } select || (int)inst.Imm is 14 or 15) continue;
            if (select.B!.Op is not (IrOp.FlagsSub or IrOp.FlagsAdd or IrOp.FlagsLogic) || !select.C!.IsConst) continue;
            int cond = (int)inst.Imm;
            var onFlags = new IrInst(IrOp.CondHolds) { A = select.B, Imm = (ulong)cond, GuestPc = inst.GuestPc };
            var otherwise = new IrInst(IrOp.Const) { Imm = IrSemantics.CondHolds(select.C.Imm, cond), GuestPc = inst.GuestPc };
            insts.Insert(i, otherwise);
            insts.Insert(i, onFlags);
            i += 2;
            inst.Op = IrOp.Select;
            inst.A = select.A;
            inst.B = onFlags;
            inst.C = otherwise;
            inst.Imm = 0;
        }
    }
}
