namespace Emu.IR.Passes;

/// <summary>Removes ops without side effects whose results are unused, transitively.</summary>
public static class DeadCodeElimination
{
    public static void Run(IrBlock block)
    {
        var insts = block.Insts;
        var used = new HashSet<IrInst>();
        var live = new List<IrInst>(insts.Count);
        // Backwards, so a value's users are decided before the value itself.
        for (int i = insts.Count - 1; i >= 0; i--)
        {
            var inst = insts[i];
            if (!(inst.IsTerminator || inst.HasSideEffect || used.Contains(inst))) continue;
            live.Add(inst);
            foreach (var o in inst.Operands()) used.Add(o);
        }
        if (live.Count == insts.Count) return;
        live.Reverse();
        insts.Clear();
        insts.AddRange(live);
    }
}
