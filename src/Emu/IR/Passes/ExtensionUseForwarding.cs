using System.Runtime.InteropServices;

namespace Emu.IR.Passes;

/// <summary>
/// A value v zero-extended from 32 bits into z = ZeroExtend(v, 32) where z stays (it is written to a W
/// register, or read in full): later users of v that read only its low 32 bits read z instead, so v dies at z.
/// FMOV Wd, Sn followed by 32-bit ops on Wd read the vector lane once and the extension kept it; the ops read
/// the unextended lane, so Tier 1 held both in host registers side by side (in SHA-256's round loop that
/// pushed two loop-invariant registers onto the stack). Runs after <see cref="ConstantFolding"/>, which points
/// 32-bit users of an extension that has no other use at the unextended value instead.
/// </summary>
public static class ExtensionUseForwarding
{
    public static void Run(IrBlock block)
    {
        var insts = block.Insts;
        // Replacement marks v with its kept extension z (not a replacement for every user: Remap is not used).
        PassSupport.ResetScratch(insts);
        var span = CollectionsMarshal.AsSpan(insts);
        for (int i = 0; i < span.Length; i++)
        {
            var inst = span[i];
            if (inst.Args == null)
            {
                if (inst.A?.Replacement is { } a && PassSupport.ReadsOnlyLow32(inst, inst.A)) inst.A = a;
                if (inst.B?.Replacement is { } b && PassSupport.ReadsOnlyLow32(inst, inst.B)) inst.B = b;
                if (inst.C?.Replacement is { } c && PassSupport.ReadsOnlyLow32(inst, inst.C)) inst.C = c;
            }
            // A register read lives in its register anyway: forwarding would only keep z alive longer.
            if (inst is { Op: IrOp.ZeroExtend, Imm: 32, A: { Op: not (IrOp.GetReg or IrOp.Const), Replacement: null } v } && KeptWhole(span, i))
                v.Replacement = inst;
        }
        PassSupport.ResetScratch(insts); // the marks are not replacements for the passes after this one
    }

    /// <summary>True if some user of insts[<paramref name="at"/>] reads more than its low 32 bits (so it is computed anyway).</summary>
    private static bool KeptWhole(ReadOnlySpan<IrInst> insts, int at)
    {
        var z = insts[at];
        for (int i = at + 1; i < insts.Length; i++)
            foreach (var o in insts[i].Operands())
                if (o == z && !PassSupport.ReadsOnlyLow32(insts[i], z)) return true;
        return false;
    }
}
