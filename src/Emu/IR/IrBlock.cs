using System.Text;

namespace Emu.IR;

/// <summary>A translation unit: the IR of one guest basic block (one entry, ends in one terminator).</summary>
public sealed class IrBlock
{
    public ulong StartPc { get; private set; }
    /// <summary>Address after the last guest instruction translated into this block.</summary>
    public ulong EndPc { get; set; }
    public int GuestInstructionCount { get; set; }
    /// <summary>The instruction words translated, so the block can be rebuilt without keeping its IR.</summary>
    public uint[]? GuestWords { get; set; }
    public List<IrInst> Insts { get; }

    public IrBlock(ulong startPc)
    {
        StartPc = startPc;
        Insts = new List<IrInst>(16);
    }

    /// <summary>A block whose ops go into <paramref name="insts"/> (an empty list reused for transient IR).</summary>
    public IrBlock(ulong startPc, List<IrInst> insts)
    {
        StartPc = startPc;
        Insts = insts;
    }

    /// <summary>Makes a block over a reused op list an empty one at <paramref name="startPc"/> (the list is cleared by its pool).</summary>
    internal void Restart(ulong startPc)
    {
        StartPc = startPc;
        EndPc = 0;
        GuestInstructionCount = 0;
        GuestWords = null;
    }

    public IrInst Terminator => Insts[^1];

    /// <summary>Assigns dense indices in program order; returns the count.</summary>
    public int Renumber()
    {
        for (int i = 0; i < Insts.Count; i++) Insts[i].Index = i;
        return Insts.Count;
    }

    /// <summary>Checks the structural invariants every pass must keep; throws on a broken block.</summary>
    public void Verify()
    {
        var defined = new HashSet<IrInst>();
        for (int i = 0; i < Insts.Count; i++)
        {
            var inst = Insts[i];
            if (inst.IsTerminator != (i == Insts.Count - 1))
                throw new InvalidOperationException($"block 0x{StartPc:x}: terminator misplaced at {i}: {inst}");
            foreach (var o in inst.Operands())
                if (!defined.Contains(o))
                    throw new InvalidOperationException($"block 0x{StartPc:x}: {inst} uses a value not defined before it");
            defined.Add(inst);
        }
    }

    public override string ToString()
    {
        Renumber();
        var sb = new StringBuilder();
        sb.Append("block 0x").Append(StartPc.ToString("x")).Append(" (").Append(GuestInstructionCount).AppendLine(" insns)");
        ulong pc = ulong.MaxValue;
        foreach (var i in Insts)
        {
            if (i.GuestPc != pc)
            {
                pc = i.GuestPc;
                sb.Append(" ---- 0x").AppendLine(pc.ToString("x"));
            }
            sb.Append("  ").AppendLine(i.ToString());
        }
        return sb.ToString();
    }
}
