using System.Runtime.InteropServices;

namespace Emu.IR.Passes;

/// <summary>Removes ops without side effects whose results are unused, transitively.</summary>
public static class DeadCodeElimination
{
    public static void Run(IrBlock block)
    {
        var insts = block.Insts;
        // Marked: used by a live op.
        PassSupport.ResetScratch(insts);
        int dead = 0;
        // Backwards, so a value's users are decided before the value itself.
        var span = CollectionsMarshal.AsSpan(insts);
        for (int i = span.Length - 1; i >= 0; i--)
        {
            var inst = span[i];
            if (!(inst.IsTerminator || inst.HasSideEffect || inst.Marked))
            {
                // Replacement doubles as the dead mark here (itself: never an operand's replacement in this pass).
                inst.Replacement = inst;
                dead++;
                continue;
            }
            if (inst.Args != null)
            {
                foreach (var a in inst.Args) a.Marked = true;
            }
            else
            {
                if (inst.A != null) inst.A.Marked = true;
                if (inst.B != null) inst.B.Marked = true;
                if (inst.C != null) inst.C.Marked = true;
            }
        }
        if (dead == 0) return;
        // In place, without List.RemoveAll's delegate call per op.
        int kept = 0;
        foreach (var inst in span)
            if (inst.Replacement != inst) span[kept++] = inst;
        CollectionsMarshal.SetCount(insts, kept);
    }
}
