using System.Runtime.InteropServices;

namespace Emu.IR.Passes;

/// <summary>Removes ops without side effects whose results are unused, transitively.</summary>
public static class DeadCodeElimination
{
    public static void Run(IrBlock block)
    {
        var insts = block.Insts;
        // Marked: used by a live op, until the op itself is decided (its users come after it, so all are known by
        // then); from then on, dead. Only earlier ops are marked used after that.
        PassSupport.ResetScratch(insts);
        int dead = 0;
        // Backwards, so a value's users are decided before the value itself.
        var span = CollectionsMarshal.AsSpan(insts);
        for (int i = span.Length - 1; i >= 0; i--)
        {
            var inst = span[i];
            inst.Marked = !(inst.IsTerminator || inst.HasSideEffect || inst.Marked);
            if (inst.Marked)
            {
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
        if (dead > 0) PassSupport.RemoveMarked(insts);
    }
}
